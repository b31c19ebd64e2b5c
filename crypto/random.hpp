// Randomness behind an interface the tests can replace.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/bytes.hpp"
#include "crypto/secret.hpp"

namespace pingyi {

class Rng {
  public:
    virtual ~Rng() = default;
    // Fills `out` with random bytes; throws std::runtime_error if no randomness is available.
    virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// The operating system's CSPRNG through OpenSSL's RAND_priv_bytes. Use this in production.
class OsRng final : public Rng {
  public:
    void Fill(std::span<std::uint8_t> out) override;
};

// The process-wide OsRng.
Rng& SystemRng();

// WARNING: deterministic, for known-answer vectors and tests only. Never for real ballots.
// Output block i = SHA-256("pingyi/test-rng" || seed || be32(i)), concatenated.
class DeterministicRng final : public Rng {
  public:
    explicit DeterministicRng(ByteView seed);
    void Fill(std::span<std::uint8_t> out) override;

  private:
    SecretBytes m_seed;
    std::uint32_t m_counter = 0;
    std::uint8_t m_block[32] = {};
    std::size_t m_used = 32;
};

}  // namespace pingyi
