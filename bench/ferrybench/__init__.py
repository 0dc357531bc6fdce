# SPDX-License-Identifier: GPL-3.0-or-later
"""Ferry's side-by-side benchmark: ferryd against vsftpd and pyftpdlib (issue 7).

bench/run is the command; these modules are its parts:
  fixtures  the work folder: the files every server serves, the shared user
  servers   starting ferryd, vsftpd and pyftpdlib on loopback ports
  ftpwire   a minimal FTP control-connection client for the sessions-per-second probe
  probes    one function per measurement
  latencylan  the latency row across a rate-limited veth between two network namespaces
  report    the table, the ratios against the targets, the machine description
"""
