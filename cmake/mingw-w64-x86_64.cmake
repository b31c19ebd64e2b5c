# Cross-compiling Pingyi for 64-bit Windows with Debian's mingw-w64 (posix thread model)
# against the static dependency prefix that scripts/windows/build-deps.sh builds.
# The prefix comes from -DPINGYI_WIN_DEPS=..., else $ENV{PINGYI_WIN_DEPS}, else the
# symlink /var/cache/pingyi/win-deps that build-deps.sh points at its last good prefix.
# Also used by build-deps.sh itself for the dependencies that build with CMake.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_triplet x86_64-w64-mingw32)

# The -posix compilers give std::thread/std::mutex; never the -win32 alternative.
set(CMAKE_C_COMPILER ${_triplet}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_triplet}-g++-posix)
set(CMAKE_RC_COMPILER ${_triplet}-windres)

if(PINGYI_WIN_DEPS)
  set(_deps "${PINGYI_WIN_DEPS}")
elseif(DEFINED ENV{PINGYI_WIN_DEPS} AND NOT "$ENV{PINGYI_WIN_DEPS}" STREQUAL "")
  set(_deps "$ENV{PINGYI_WIN_DEPS}")
else()
  set(_deps /var/cache/pingyi/win-deps)
endif()
# The real path: the prefix's own files (wx-config, .pc) name it so.
get_filename_component(_deps "${_deps}" REALPATH)
if(NOT EXISTS "${_deps}/lib/libcrypto.a")
  message(FATAL_ERROR "No Windows dependency prefix at ${_deps}: run scripts/windows/build-deps.sh")
endif()
set(PINGYI_WIN_DEPS "${_deps}")
# try_compile() projects re-read this file: hand them the prefix too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PINGYI_WIN_DEPS)

# Search only the mingw sysroot and the prefix: never Linux's /usr/include or /usr/lib.
set(CMAKE_FIND_ROOT_PATH /usr/${_triplet} ${PINGYI_WIN_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Static archives only. CMake's Windows-GNU platform file resets the library suffixes to
# .dll.a;.a after this file, so the one library with an import library in the mingw
# sysroot, zlib, is named outright (libz.dll.a would make the programs need zlib1.dll).
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(ZLIB_LIBRARY /usr/${_triplet}/lib/libz.a CACHE FILEPATH "Static mingw zlib")
set(ZLIB_INCLUDE_DIR /usr/${_triplet}/include CACHE PATH "mingw zlib headers")

# Executables import Windows system DLLs only (check: objdump -p X.exe | grep 'DLL Name').
# -fstack-protector-strong at link time brings libssp (static), which mingw needs for
# the project's -fstack-protector-strong and _FORTIFY_SOURCE.
# The main thread gets 8 MB of stack, as on Linux (the Windows default is 2 MB here,
# 1 MB with MSVC): the kiosk with 200 members overflowed 2 MB under Wine.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++ -fstack-protector-strong -Wl,--stack,8388608")

# Static OpenSSL: FindOpenSSL then adds the ws2_32 and crypt32 it needs on Windows.
set(OPENSSL_USE_STATIC_LIBS TRUE)

# pkg-config (minizip ...) and wx-config from the prefix, never the Linux ones.
set(ENV{PKG_CONFIG_LIBDIR} "${PINGYI_WIN_DEPS}/lib/pkgconfig:/usr/${_triplet}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(wxWidgets_CONFIG_EXECUTABLE "${PINGYI_WIN_DEPS}/bin/wx-config" CACHE FILEPATH "wx-config of the Windows prefix")

# Tests (and doctest discovery) run through Wine. WINEPREFIX comes from the environment.
find_program(PINGYI_WINE NAMES wine wine64)
if(PINGYI_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${PINGYI_WINE}")
endif()
