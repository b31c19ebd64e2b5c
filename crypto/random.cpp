#include "crypto/random.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace pingyi {

void OsRng::Fill(std::span<std::uint8_t> out)
{
    if (out.empty()) return;
    if (RAND_priv_bytes(out.data(), static_cast<int>(out.size())) != 1)
        throw std::runtime_error("the operating system's random generator failed");
}

Rng& SystemRng()
{
    static OsRng rng;
    return rng;
}

DeterministicRng::DeterministicRng(ByteView seed) : m_seed(seed) {}

void DeterministicRng::Fill(std::span<std::uint8_t> out)
{
    for (auto& byte : out) {
        if (m_used == sizeof m_block) {
            Bytes input;
            AppendBytes(input, AsBytes("pingyi/test-rng"));
            AppendBytes(input, m_seed.view());
            AppendU32(input, m_counter++);
            unsigned int len = 0;
            if (EVP_Digest(input.data(), input.size(), m_block, &len, EVP_sha256(), nullptr) != 1)
                throw std::runtime_error("SHA-256 failed");
            m_used = 0;
        }
        byte = m_block[m_used++];
    }
}

}  // namespace pingyi
