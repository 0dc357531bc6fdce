#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what building and testing Ferry needs on Debian 12, only what is missing.
# Usage: tools/deps.sh [build|test]   (test = build + the peers and tools the tests drive)
set -eu

build_packages="
  gcc clang meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin glib-networking
  libcrypt-dev libcmocka-dev libgnutls28-dev nettle-dev
  libgtk-4-dev libadwaita-1-dev libsecret-1-dev libreadline-dev
  libavahi-client-dev libavahi-glib-dev libqrencode-dev libjson-glib-dev
"
test_packages="
  python3 python3-pyftpdlib python3-openssl curl lftp wget vsftpd openssl time whois valgrind
  gvfs-backends
  xvfb xauth x11-utils dbus dbus-x11 at-spi2-core python3-pyatspi imagemagick fonts-wqy-microhei libglib2.0-bin
  desktop-file-utils appstream flatpak-builder librsvg2-bin libclang-rt-14-dev
  avahi-daemon avahi-utils iproute2 zbar-tools
  haproxy fail2ban logrotate webalizer xdotool
"

packages=$build_packages
[ "${1:-test}" = test ] && packages="$packages $test_packages"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Ferry needs these Debian packages:$missing" >&2
  echo "Run this as root, or: sudo apt-get install$missing" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
