#include "crypto/init.hpp"

#include <openssl/crypto.h>

namespace pingyi {

bool InitOpenSsl()
{
    // The first OPENSSL_init_crypto call decides: with NO_LOAD_CONFIG the configuration step
    // is marked done without reading anything, and no later call can load it.
    static const bool ok = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
    return ok;
}

}  // namespace pingyi
