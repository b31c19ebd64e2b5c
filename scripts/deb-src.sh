# shellcheck shell=bash
# Sourced: ensure_deb_src makes `apt-get source` work on Debian 12 — a deb-src entry of our
# own (same archive and keyring as the bookworm entry, which stays untouched), then one
# `apt-get update` if the source index is missing. Logs to stderr.
ensure_deb_src() {
  if ! apt-cache showsrc "${1:-openssl}" 2>/dev/null | grep -q '^Version:'; then
    local f=/etc/apt/sources.list.d/pingyi-deb-src.sources
    if [ ! -e "$f" ]; then
      printf 'adding %s (deb-src for bookworm; the existing entries stay unchanged)\n' "$f" >&2
      cat >"$f" <<'EOS'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
    fi
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  fi
}
