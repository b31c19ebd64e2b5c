// OpenSSL set up for a voting machine: no configuration file is ever read.
#pragma once

namespace pingyi {

// Initialises libcrypto without loading openssl.cnf. OpenSSL would otherwise read the file
// named by OPENSSL_CONF or its build-time OPENSSLDIR — on the Windows build a path such as
// C:\usr\local\ssl that any local user may create — and could load providers or engines
// from it into the kiosk. Every program calls this first; group.cpp also calls it during
// static initialisation, so library users are covered. Idempotent and thread-safe.
// It also sets up OpenSSL's secure heap (kSecureHeapSize, crypto/secret.hpp) for every
// program, before any secret exists. Returns false if OpenSSL could not start.
bool InitOpenSsl();

// Whether the secure heap's pages are locked in memory (mlock succeeded). False where there
// is no secure heap or the system's limit on locked memory is too low.
bool SecureHeapLocked();

}  // namespace pingyi
