# SPDX-License-Identifier: GPL-3.0-or-later
"""Short-hands for the peers (ftplib, curl, lftp) that drive a ferryd session in the
session and hardening tests, and a look for the upload temp files a session leaves. (Served
folders are ferrytest.served_tree.)"""
import ftplib
import os
import subprocess

from ferrytest import need_program


def ftp(server, login=True, timeout=20):
    client = ftplib.FTP(timeout=timeout)
    client.encoding = "utf-8"
    client.connect(server.host, server.port)
    if login:
        client.login()   # anonymous
    return client


def retr_bytes(client, path):
    chunks = []
    client.retrbinary(f"RETR {path}", chunks.append)
    return b"".join(chunks)


def curl(*args, check=True, timeout=60):
    """Runs curl quietly; returns the CompletedProcess (stdout as bytes)."""
    need_program("curl")
    result = subprocess.run(["curl", "--silent", "--show-error", "--max-time", str(timeout)]
                            + list(args), capture_output=True, timeout=timeout + 10)
    if check and result.returncode != 0:
        raise AssertionError(f"curl {' '.join(args)} failed ({result.returncode}): "
                             f"{result.stderr.decode(errors='replace')}")
    return result


def lftp(server, script, timeout=60):
    need_program("lftp")
    settings = ("set net:max-retries 1; set net:timeout 10; set net:reconnect-interval-base 1; "
                "set ftp:ssl-allow no; set cmd:fail-exit yes; ")
    result = subprocess.run(["lftp", "-c", settings + f"open -p {server.port} {server.host}; "
                             + script], capture_output=True, timeout=timeout)
    return result


def temp_files(root):
    """Upload temp files left anywhere under root."""
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, n) for n in files if n.startswith(".ferry-upload-")]
    return found


class ResumingFTP_TLS(ftplib.FTP_TLS):
    """ftplib.FTP_TLS whose protected data connections resume the control connection's TLS
    session, as FileZilla, curl, lftp and the Ferry engine do (ftplib's own start a new
    session, which ferryd refuses by default: --tls-allow-no-reuse)."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)
        return conn, size
