#include "crypto/init.hpp"

#include "crypto/secret.hpp"

#include <openssl/crypto.h>

namespace pingyi {
namespace {

// CRYPTO_secure_malloc_init: 0 no secure heap (an OpenSSL without one, or the mapping failed), 1 set
// up and locked, 2 set up but not locked (RLIMIT_MEMLOCK too low). Neither 0 nor 2 is an
// error: secrets then live on the ordinary heap or in unlocked pages, wiped as always.
int SecureHeapInit()
{
    static const int rc = [] {
        if (CRYPTO_secure_malloc_initialized() == 1) return 1;
        return CRYPTO_secure_malloc_init(kSecureHeapSize, kSecureHeapMinBlock);
    }();
    return rc;
}

}  // namespace

bool InitOpenSsl()
{
    // The first OPENSSL_init_crypto call decides: with NO_LOAD_CONFIG the configuration step
    // is marked done without reading anything, and no later call can load it.
    static const bool ok = [] {
        const bool started = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
        SecureHeapInit();
        return started;
    }();
    return ok;
}

bool SecureHeapLocked()
{
    InitOpenSsl();
    return SecureHeapInit() == 1;
}

}  // namespace pingyi
