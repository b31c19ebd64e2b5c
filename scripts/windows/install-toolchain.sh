#!/usr/bin/env bash
# Installs the Debian 12 packages the Windows cross-build needs — the mingw-w64 (posix)
# compilers, Wine, Xvfb, NSIS, mingw zlib, the tools that unpack and prepare source
# packages — and the deb-src entry build-deps.sh downloads from. Only what is missing,
# so a second run costs a second. The Linux packages come from scripts/install-deps.sh.
set -euo pipefail

PACKAGES=(
  g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
  mingw-w64-x86-64-dev libz-mingw-w64-dev
  wine wine64 xvfb xauth nsis
  dpkg-dev tcl make cmake ninja-build pkg-config
  nlohmann-json3-dev libcli11-dev doctest-dev
  fonts-wqy-microhei imagemagick x11-utils
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
updated=0
update() { ((updated)) || { $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq; updated=1; }; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

# Source packages: a deb-src entry of our own, same archive and keyring as the existing
# bookworm entry (which stays untouched).
SRC_LIST=/etc/apt/sources.list.d/pingyi-deb-src.sources
if [ ! -e "$SRC_LIST" ]; then
  echo "Adding $SRC_LIST"
  $SUDO tee "$SRC_LIST" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  updated=0
fi
apt-cache showsrc openssl 2>/dev/null | grep -q '^Version:' || { updated=0; update; }
