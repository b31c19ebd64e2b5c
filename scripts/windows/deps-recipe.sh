# The recipe of the Windows dependency prefix, sourced by build-deps.sh, which sets
# PREFIX, BUILD, SRC, HOST, JOBS, CC/CXX/AR... and the VER_* source versions.
# Its sha256 is part of the prefix key: any change here rebuilds the prefix.
# shellcheck shell=bash

# Unpacks a source package with Debian's patches (dpkg-source -x). Where the archive
# has no Debian tarball (libharu, qrencode: 404), the orig tarball alone.
unpack() {
  local pkg=$1 v dsc dir
  v=$(ver "$pkg")
  dsc="$SRC/${pkg}_${v#*:}.dsc"
  dir="$BUILD/src/$pkg"
  rm -rf "$dir"
  (cd "$SRC" && apt-get source --download-only -qq "$pkg=$v" >/dev/null 2>&1) || true
  [ -e "$dsc" ] || die "could not download $pkg $v"
  if ls "$SRC/${pkg}_${v#*:}".debian.tar.* >/dev/null 2>&1; then
    (cd "$SRC" && dpkg-source --no-check -x "$dsc" "$dir" >"$BUILD/logs/unpack-$pkg.log" 2>&1) ||
      die "dpkg-source -x $dsc failed (see $BUILD/logs/unpack-$pkg.log)"
    log "$pkg $v unpacked with Debian patches"
  else
    local orig
    orig=$(ls "$SRC/${pkg}_${v%%-*}".orig.tar.* 2>/dev/null | grep -v '\.asc$' | grep -v -- '-www' | head -1)
    [ -n "$orig" ] || die "no orig tarball for $pkg $v"
    log "$pkg $v: no Debian patch tarball in the archive, unpacking $(basename "$orig") alone"
    mkdir -p "$dir"
    tar -xf "$orig" -C "$dir" --strip-components=1
  fi
  echo "$dir"
}

# Runs one component's build once: stamp files make an interrupted build resume.
step() {
  local name=$1; shift
  if [ -e "$PREFIX/.stamps/$name" ]; then log "$name: done before"; return; fi
  local t=$SECONDS
  log "$name: building (log $BUILD/logs/$name.log)"
  # Not inside `if`: errexit must stay on in the subshell.
  local rc=0
  set +e
  (set -e; "$@") >"$BUILD/logs/$name.log" 2>&1
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    tail -40 "$BUILD/logs/$name.log" >&2
    die "$name failed (full log: $BUILD/logs/$name.log)"
  fi
  touch "$PREFIX/.stamps/$name"
  log "$name: $((SECONDS - t)) s"
}

cmake_dep() { # src-dir build-dir cmake-args...
  local s=$1 b=$2; shift 2
  cmake -S "$s" -B "$b" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$BUILD/toolchain.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib \
    -DBUILD_SHARED_LIBS=OFF "$@"
  cmake --build "$b" -j"$JOBS"
  cmake --install "$b"
}

build_headers() {
  # Header-only libraries with their CMake package files (relative paths: relocatable).
  cp -a /usr/include/nlohmann /usr/include/CLI /usr/include/doctest "$PREFIX/include/"
  mkdir -p "$PREFIX/share/cmake" "$PREFIX/lib/cmake"
  cp -a /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$PREFIX/share/cmake/"
  cp -a /usr/lib/cmake/doctest "$PREFIX/lib/cmake/"
  # Debian's doctest package file names /usr outright: make it relative to where it is.
  sed -i 's|^set(_IMPORT_PREFIX "/usr")$|get_filename_component(_IMPORT_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)|' \
    "$PREFIX/lib/cmake/doctest/doctestTargets.cmake"
  ! grep -q '"/usr"' "$PREFIX/lib/cmake/doctest/doctestTargets.cmake"
}

build_openssl() {
  local d; d=$(unpack openssl)
  cd "$d"
  unset CFLAGS CXXFLAGS # would replace the target's own flags
  # OPENSSLDIR: where openssl.cnf would be read from at run time; a directory only
  # administrators can write (a user-writable one is CVE-2019-1552).
  ./Configure mingw64 no-shared no-tests --cross-compile-prefix=$HOST- \
    --prefix="$PREFIX" --libdir=lib "--openssldir=C:/Program Files/Common Files/SSL" \
    CC=gcc-posix CXX=g++-posix AR=ar RANLIB=ranlib RC=windres
  make -j"$JOBS" build_libs
  make install_dev
}

build_sqlite() {
  local d; d=$(unpack sqlite3)
  mkdir -p "$d/native" && cd "$d/native"
  # The source package has no amalgamation: make sqlite3.c with the native tools.
  CC=gcc CFLAGS=-O2 AR=ar RANLIB=ranlib ../configure --disable-tcl >/dev/null
  make sqlite3.c
  # The compile options of Debian's own libsqlite3 (debian/rules), minus extension loading.
  $CC -O2 -fno-strict-aliasing -c sqlite3.c -o sqlite3.o \
    -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 \
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_ENABLE_UNLOCK_NOTIFY \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1 \
    -DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_STMTVTAB \
    -DSQLITE_OMIT_LOAD_EXTENSION
  rm -f "$PREFIX/lib/libsqlite3.a"
  $AR rcs "$PREFIX/lib/libsqlite3.a" sqlite3.o
  cp sqlite3.h sqlite3ext.h "$PREFIX/include/"
  local v; v=$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' sqlite3.h)
  cat >"$PREFIX/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: SQLite
Description: SQL database engine
Version: $v
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
EOF
}

build_expat() {
  local d; d=$(unpack expat)
  # The orig tarball is the git tree: no configure, so its CMake.
  cmake -S "$d/expat" -B "$d/build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$BUILD/toolchain.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib \
    -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_TESTS=OFF \
    -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF \
    -DEXPAT_BUILD_PKGCONFIG=ON
  # Debian's CVE backports test `#if XML_DTD == 1` (autotools defines it as 1; CMake's
  # expat_config.h defines it empty).
  sed -i 's/^#define XML_DTD *$/#define XML_DTD 1/; s/^#define XML_NS *$/#define XML_NS 1/' \
    "$d/build/expat_config.h"
  grep -q '^#define XML_DTD 1$' "$d/build/expat_config.h"
  cmake --build "$d/build" -j"$JOBS"
  cmake --install "$d/build"
}

build_libpng() {
  local d; d=$(unpack libpng1.6)
  cd "$d"
  ./configure --host=$HOST --prefix="$PREFIX" --disable-shared --enable-static --disable-tools
  make -j"$JOBS"
  make install
}

build_minizip() {
  local d; d=$(unpack minizip)
  cd "$d"
  # Its autotools files come from a Debian patch (needs autoreconf): five files, compiled
  # directly. iowin32.c gives Unicode-aware Win32 file access.
  local o=()
  for f in ioapi unzip zip mztools iowin32; do
    $CC -O2 -c $f.c -o $f.o && o+=($f.o)
  done
  rm -f "$PREFIX/lib/libminizip.a"
  $AR rcs "$PREFIX/lib/libminizip.a" "${o[@]}"
  mkdir -p "$PREFIX/include/minizip"
  cp ioapi.h unzip.h zip.h mztools.h iowin32.h crypt.h "$PREFIX/include/minizip/"
  cat >"$PREFIX/lib/pkgconfig/minizip.pc" <<EOF
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include/minizip
Name: minizip
Description: Minizip zip file manipulation library
Version: 1.1
Libs: -L\${libdir} -lminizip -lz
Cflags: -I\${includedir}
EOF
}

build_libharu() {
  local d; d=$(unpack libharu)
  # zlib: the mingw libz.a, never libz.dll.a.
  cmake_dep "$d" "$d/build" -DLIBHPDF_SHARED=OFF -DLIBHPDF_STATIC=ON -DLIBHPDF_EXAMPLES=NO \
    -DZLIB_LIBRARY=/usr/$HOST/lib/libz.a -DZLIB_INCLUDE_DIR=/usr/$HOST/include \
    -DPNG_LIBRARY="$PREFIX/lib/libpng16.a" -DPNG_PNG_INCLUDE_DIR="$PREFIX/include" \
    -DCMAKE_POLICY_DEFAULT_CMP0074=NEW
  # libharu 2.3.0 installs a few extra files at the prefix root; keep the prefix tidy.
  rm -f "$PREFIX"/{README,CHANGES,INSTALL} 2>/dev/null || true
}

build_qrencode() {
  local d; d=$(unpack qrencode)
  cd "$d"
  ./configure --host=$HOST --prefix="$PREFIX" --disable-shared --enable-static --without-tools
  make -j"$JOBS"
  make install
}

build_libxlsxwriter() {
  local d; d=$(unpack libxlsxwriter)
  # Its FindMINIZIP reads the zlib version from zlib.h beside minizip/: here it is not.
  sed -i "s|\${MINIZIP_INCLUDE_DIRS}/zlib.h|/usr/$HOST/include/zlib.h|" "$d/cmake/FindMINIZIP.cmake"
  # Against our minizip, not its bundled copy: two minizips in one static exe collide.
  cmake_dep "$d" "$d/build" -DUSE_SYSTEM_MINIZIP=ON -DBUILD_TESTS=OFF -DBUILD_EXAMPLES=OFF \
    -DZLIB_LIBRARY=/usr/$HOST/lib/libz.a -DZLIB_INCLUDE_DIR=/usr/$HOST/include \
    -DMINIZIP_ROOT="$PREFIX"
  # A static-only prefix: its .pc must name what libxlsxwriter.a needs after it.
  sed -i 's|^Libs: -L${libdir} -lxlsxwriter -lz$|Libs: -L${libdir} -lxlsxwriter -lminizip -lz|' \
    "$PREFIX/lib/pkgconfig/xlsxwriter.pc"
  grep -q -- '-lxlsxwriter -lminizip -lz' "$PREFIX/lib/pkgconfig/xlsxwriter.pc"
}

build_wxwidgets() {
  local d; d=$(unpack wxwidgets3.2)
  mkdir -p "$d/build-msw" && cd "$d/build-msw"
  # The +dfsg tarball has no bundled zlib/png/expat/jpeg/tiff: system (= prefix) ones.
  ../configure --host=$HOST --prefix="$PREFIX" --disable-shared --with-msw \
    --with-zlib=sys --with-libpng=sys --with-expat=sys --without-libjpeg --without-libtiff \
    --with-regex=builtin --disable-webview --disable-mediactrl --disable-stc \
    --disable-ribbon --disable-propgrid --disable-richtext --without-opengl \
    CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib"
  make -j"$JOBS"
  make install
}

# A toolchain file of the recipe's own (the project's cmake/mingw-w64-x86_64.cmake may
# change without rebuilding the prefix).
write_toolchain() {
  cat >"$BUILD/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $HOST-gcc-posix)
set(CMAKE_CXX_COMPILER $HOST-g++-posix)
set(CMAKE_RC_COMPILER $HOST-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$HOST $PREFIX)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
EOF
}

run_recipe() {
  export PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig:/usr/$HOST/lib/pkgconfig"
  export PKG_CONFIG_PATH=""
  export CFLAGS="-O2" CXXFLAGS="-O2"
  write_toolchain
  step headers build_headers
  step expat build_expat
  step libpng build_libpng
  step minizip build_minizip
  step sqlite build_sqlite
  step qrencode build_qrencode
  step libharu build_libharu
  step libxlsxwriter build_libxlsxwriter
  step openssl build_openssl
  if [ "${PINGYI_DEPS_SKIP_WX:-0}" = 1 ]; then
    log "PINGYI_DEPS_SKIP_WX=1: stopping before wxWidgets (prefix not complete)"
    echo "$PREFIX"
    exit 0
  fi
  step wxwidgets build_wxwidgets
}
