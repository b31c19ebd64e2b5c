// Does a hostile openssl.cnf (tests/data/hostile-openssl.cnf, through OPENSSL_CONF) reach
// OpenSSL? `openssl_config_probe plain` uses libcrypto as any program would: the file is
// read and SHA-256 fails — the control showing the file is found and harmful. Without an
// argument the probe starts through pingyi::InitOpenSsl() first, as every Pingyi program
// does, and SHA-256 must work. Exit code 0 means SHA-256 gave the right digest.
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstring>

#include "crypto/init.hpp"

int main(int argc, char** argv)
{
    const bool plain = argc > 1 && std::strcmp(argv[1], "plain") == 0;
    if (!plain && !pingyi::InitOpenSsl()) {
        std::puts("InitOpenSsl failed");
        return 1;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    const unsigned char expected[4] = {0xba, 0x78, 0x16, 0xbf};
    if (EVP_Digest("abc", 3, md.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32 ||
        std::memcmp(md.data(), expected, sizeof expected) != 0) {
        std::puts("SHA-256 failed: OpenSSL read the configuration file");
        return 1;
    }
    std::puts("SHA-256 works: no configuration file was read");
    return 0;
}
