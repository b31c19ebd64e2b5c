#!/usr/bin/env bash
# Builds the static Windows (x86_64, mingw-w64 posix) dependency prefix of Pingyi from
# Debian 12's source packages, with Debian's patches applied (security fixes):
#   OpenSSL, SQLite, expat, libpng, minizip, libharu, libqrencode, libxlsxwriter,
#   wxWidgets 3.2 — plus zlib from Debian's libz-mingw-w64-dev and the header-only
#   nlohmann-json, CLI11 and doctest copied from their Debian -dev packages.
#
# The prefix lives OUTSIDE the tree, at $PINGYI_CACHE/win-deps-<key> (default cache
# /var/cache/pingyi). <key> hashes the source package versions, the toolchain package
# versions and the recipe (deps-recipe.sh: how each one is built): the prefix is
# rebuilt only when one of them changes. Paths are baked into the prefix (wx-config, .pc
# files), so it is used where it was built. $PINGYI_CACHE/win-deps is a symlink to the
# last good prefix; the one before it is kept, older ones are removed.
#
# Usage: build-deps.sh            build (or reuse) the prefix; prints its path last on stdout
#        build-deps.sh --prefix   print the prefix path for the current key, build nothing
#        build-deps.sh --key      print the key and what went into it
# Environment: PINGYI_CACHE (cache root), JOBS (default 2), PINGYI_DEPS_SKIP_WX=1 (stop
# before wxWidgets: enough for the console tool and the tests).
# Logs go to stderr and to <build dir>/logs/<step>.log.
set -euo pipefail
shopt -s inherit_errexit

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PINGYI_CACHE:-/var/cache/pingyi}"
JOBS="${JOBS:-2}"
HOST=x86_64-w64-mingw32
export CC=$HOST-gcc-posix CXX=$HOST-g++-posix AR=$HOST-ar RANLIB=$HOST-ranlib \
  STRIP=$HOST-strip WINDRES=$HOST-windres RC=$HOST-windres

# Source packages (Debian source package names) and the Debian binary packages whose
# versions also decide the key.
SOURCES=(openssl sqlite3 expat libpng1.6 minizip libharu qrencode libxlsxwriter wxwidgets3.2)
TOOL_PACKAGES=(gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev
  binutils-mingw-w64-x86-64 libz-mingw-w64-dev nlohmann-json3-dev libcli11-dev doctest-dev)

log() { printf '[build-deps %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- source package index -------------------------------------------------------------
# shellcheck source=../deb-src.sh
source "$HERE/../deb-src.sh"

# The version apt-get source would fetch: parsed from the .dsc name in --print-uris.
src_version() {
  local dsc # the second field is the file name, not URL-encoded
  dsc=$(apt-get source --download-only --print-uris -qq "$1" 2>/dev/null | awk '$2 ~ /\.dsc$/ {print $2; exit}')
  [ -n "$dsc" ] || die "no source package $1 (is deb-src configured?)"
  basename "$dsc" .dsc | sed "s/^$1_//"
}

compute_key() {
  ensure_deb_src
  MANIFEST=""
  local p v
  for p in "${SOURCES[@]}"; do
    v=$(src_version "$p")
    eval "VER_${p//[.-]/_}=\$v"
    MANIFEST+="source $p $v"$'\n'
  done
  for p in "${TOOL_PACKAGES[@]}"; do
    v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null) || die "package $p is not installed (scripts/windows/install-toolchain.sh)"
    MANIFEST+="package $p $v"$'\n'
  done
  MANIFEST+="recipe $(sha256sum <"$HERE/deps-recipe.sh" | cut -c1-16)"$'\n'
  KEY=$(printf '%s' "$MANIFEST" | sha256sum | cut -c1-16)
  PREFIX="$CACHE/win-deps-$KEY"
  BUILD="$CACHE/build-$KEY"
}

ver() { local n="VER_${1//[.-]/_}"; printf '%s' "${!n}"; }

case "${1:-}" in
  --key) compute_key; printf '%s\n%s' "$KEY" "$MANIFEST"; exit 0 ;;
  --prefix) compute_key; echo "$PREFIX"; exit 0 ;;
  "") ;;
  *) die "unknown argument $1" ;;
esac

compute_key
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock-$KEY"
flock 9 # one builder per key; a second run waits, then finds the prefix ready

finish() {
  ln -sfn "$PREFIX" "$CACHE/win-deps"
  # Keep this prefix and the one before it (92 MB each); older keys are gone for good.
  local old
  for old in $(ls -dt "$CACHE"/win-deps-*/ 2>/dev/null | tail -n +3); do
    log "removing the old prefix $old"
    rm -rf "$old" "$CACHE/.lock-$(basename "$old" | sed 's/^win-deps-//')"
  done
  echo "$PREFIX"
}
# libharu with Pingyi's patch (scripts/libharu/), over the recipe's plain build: its own
# stamp, keyed by scripts/libharu/ and not part of the prefix key, so a change of the patch
# rebuilds libharu alone (about 10 s) in the existing prefix, not the whole prefix.
LIBHARU_KEY=$(bash "$HERE/../libharu/build.sh" --key)
overlay_libharu() {
  local stamp="$PREFIX/.stamps/libharu-pingyi-$LIBHARU_KEY" tmp
  [ -e "$stamp" ] && return 0
  log "libharu with Pingyi's patch (key $LIBHARU_KEY) into $PREFIX"
  tmp=$(mktemp -d)
  (
    BUILD=$tmp
    # shellcheck source=deps-recipe.sh
    source "$HERE/deps-recipe.sh"
    write_toolchain
    PINGYI_WIN_TOOLCHAIN="$tmp/toolchain.cmake" PINGYI_CACHE="$CACHE" bash "$HERE/../libharu/build.sh" --windows "$PREFIX"
  ) >&2
  rm -rf "$tmp"
  rm -f "$PREFIX"/.stamps/libharu-pingyi-*
  touch "$stamp"
}

if [ -e "$PREFIX/.complete" ]; then
  log "cached prefix $PREFIX (key $KEY)"
  overlay_libharu
  finish
  exit 0
fi

log "building prefix $PREFIX (key $KEY) with -j$JOBS"
printf '%s' "$MANIFEST" >&2
mkdir -p "$PREFIX"/{bin,include,lib/pkgconfig,.stamps} "$BUILD"/{src,logs}
printf '%s' "$MANIFEST" >"$PREFIX/MANIFEST"
SRC="$CACHE/src" # downloaded source packages, kept across keys
mkdir -p "$SRC"
T0=$SECONDS

# The recipe: how each component is built, and in which order (its hash is in the key).
# shellcheck source=deps-recipe.sh
source "$HERE/deps-recipe.sh"
run_recipe
overlay_libharu

rm -rf "$PREFIX/share/man" "$PREFIX/share/doc"
touch "$PREFIX/.complete"
rm -rf "$BUILD"
log "prefix complete in $((SECONDS - T0)) s: $(du -sh "$PREFIX" | cut -f1) at $PREFIX"
finish
