#!/usr/bin/env bash
# Builds libharu (Debian 12's source package) with Pingyi's patch (pingyi-fonts.patch
# beside this script), static, for Linux or — with --windows PREFIX — into the mingw-w64
# prefix of scripts/windows/build-deps.sh. The patch:
#   * reads the glyph ids of composite glyphs as unsigned (Debian's libharu drops every
#     component above glyph 32767: characters of large CJK fonts print blank);
#   * HPDF_LoadTTFontFromFileOffset(): a font for code points offset + code, read from its
#     format 12 cmap, with a ToUnicode CMap mapping back (surrogate pairs) — how PDFs get
#     CJK Extension B and the rest of plane 2 through libharu's 16-bit UTF-8 path;
#   * writes a real ToUnicode CMap (identity bfranges) for the UTF-8 encoder's fonts, where
#     libharu wrote the encoder's own CMap (a begincidrange that PDF readers reject).
#
# Linux: the result lives OUTSIDE the tree, at $PINGYI_CACHE/libharu-<key> (default cache
# /var/cache/pingyi); <key> hashes the libharu version, the patch and this script, so it
# is rebuilt (about 10 s) only when one of them changes. $PINGYI_CACHE/libharu links to
# the last good one; CMake looks there first. Prints the prefix last on stdout.
#
# Usage: build.sh                    build (or reuse) the Linux prefix
#        build.sh --key              print the key
#        build.sh --windows PREFIX   build into a mingw-w64 prefix (CC/AR etc. from the caller)
set -euo pipefail
shopt -s inherit_errexit

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PINGYI_CACHE:-/var/cache/pingyi}"
JOBS="${JOBS:-2}"
VERSION="2.3.0+dfsg-1"
UPSTREAM="2.3.0+dfsg"
PATCH="$HERE/pingyi-fonts.patch"
KEY=$(printf 'libharu %s\npatch %s\nscript %s\n' "$VERSION" "$(sha256sum <"$PATCH" | cut -c1-16)" \
  "$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)" | sha256sum | cut -c1-16)

# shellcheck source=../deb-src.sh
source "$HERE/../deb-src.sh"

log() { printf '[libharu %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The orig tarball of Debian's source package (its Debian patch tarball is not in the
# archive; the orig tarball is the source). Needs a deb-src entry; adds one for bookworm.
fetch_source() {
  local src=$1 orig="$1/libharu_${UPSTREAM}.orig.tar.xz"
  mkdir -p "$src"
  if [ ! -s "$orig" ]; then
    ensure_deb_src libharu
    (cd "$src" && apt-get source --download-only -qq "libharu=$VERSION" >/dev/null 2>&1) || true
    [ -s "$orig" ] || die "could not download the libharu $VERSION source"
  fi
  echo "$orig"
}

# Unpacks, patches, builds and installs into $2 with extra cmake arguments.
build_into() {
  local work=$1 prefix=$2; shift 2
  local orig
  orig=$(fetch_source "$CACHE/src")
  rm -rf "$work" && mkdir -p "$work/src"
  tar -xf "$orig" -C "$work/src" --strip-components=1
  patch -d "$work/src" -p1 --quiet <"$PATCH"
  cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
    -DLIBHPDF_SHARED=OFF -DLIBHPDF_STATIC=ON -DLIBHPDF_EXAMPLES=NO \
    -DCMAKE_POLICY_DEFAULT_CMP0074=NEW -Wno-dev "$@" >"$work/configure.log" 2>&1 ||
    { tail -30 "$work/configure.log" >&2; die "configure failed"; }
  cmake --build "$work/build" -j"$JOBS" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "build failed"; }
  cmake --install "$work/build" >/dev/null
  # libharu 2.3.0 installs a few extra files at the prefix root.
  rm -f "$prefix"/{README,CHANGES,INSTALL} 2>/dev/null || true
  grep -q HPDF_LoadTTFontFromFileOffset "$prefix/include/hpdf.h" || die "the patch is not in $prefix/include/hpdf.h"
}

case "${1:-}" in
  --key) echo "$KEY"; exit 0 ;;
  --windows)
    PREFIX=${2:?--windows needs the prefix}
    HOST=x86_64-w64-mingw32
    # The prefix holds the recipe's plain libharu headers, and PNG's include directory (the
    # prefix's) comes before libharu's own on the compiler's command line: remove them, or
    # the patched sources compile against the unpatched hpdf_fontdef.h. Installing puts the
    # patched headers back.
    rm -f "$PREFIX"/include/hpdf*.h
    build_into "$CACHE/build-libharu-win-$KEY" "$PREFIX" \
      -DCMAKE_TOOLCHAIN_FILE="${PINGYI_WIN_TOOLCHAIN:?the mingw toolchain file}" \
      -DZLIB_LIBRARY=/usr/$HOST/lib/libz.a -DZLIB_INCLUDE_DIR=/usr/$HOST/include \
      -DPNG_LIBRARY="$PREFIX/lib/libpng16.a" -DPNG_PNG_INCLUDE_DIR="$PREFIX/include"
    rm -rf "$CACHE/build-libharu-win-$KEY"
    exit 0
    ;;
  "") ;;
  *) die "unknown argument $1" ;;
esac

PREFIX="$CACHE/libharu-$KEY"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock-libharu-$KEY"
flock 9
if [ ! -e "$PREFIX/.complete" ]; then
  T0=$SECONDS
  log "building $PREFIX"
  rm -rf "$PREFIX"
  build_into "$CACHE/build-libharu-$KEY" "$PREFIX" -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  rm -rf "$CACHE/build-libharu-$KEY"
  touch "$PREFIX/.complete"
  log "built in $((SECONDS - T0)) s"
fi
ln -sfn "$PREFIX" "$CACHE/libharu"
# Keep this one and the one before it.
for old in $(ls -dt "$CACHE"/libharu-*/ 2>/dev/null | tail -n +3); do
  rm -rf "$old"
done
echo "$PREFIX"
