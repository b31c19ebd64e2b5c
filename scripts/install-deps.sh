#!/usr/bin/env bash
# Installs the Debian 12 packages Pingyi needs to build and test on Linux — only the
# missing ones, so a second run costs a second — and builds Pingyi's libharu
# (scripts/libharu/build.sh: cached under /var/cache/pingyi, about 10 s the first time).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  libssl-dev libsqlite3-dev sqlite3
  doctest-dev libcli11-dev nlohmann-json3-dev
  libqrencode-dev libxlsxwriter-dev zlib1g-dev libpng-dev
  libminizip-dev libexpat1-dev
  fonts-arphic-gbsn00lp fonts-hanazono poppler-utils qpdf zbar-tools patch
  clang-14 libclang-rt-14-dev clang-format
  libwxgtk3.2-dev wx3.2-i18n xvfb xauth gettext imagemagick fonts-wqy-microhei x11-utils
  libgtk-3-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The PDFs need libharu with our patch (composite glyphs, plane 2): built from Debian's
# source package once, then reused (CMake also runs this when it is missing).
bash "$(dirname "${BASH_SOURCE[0]}")/libharu/build.sh" >/dev/null
