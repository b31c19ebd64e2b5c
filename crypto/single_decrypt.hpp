// Decryption of any ciphertext, one ballot's included: the building blocks behind
// DecryptAggregate (proofs.hpp). Only crypto/ itself and the tests include this header;
// tests/layers/check_layers.py fails the build's test suite if anything else does, so the
// rest of the program can decrypt nothing but an EncryptedSum of enough ballots.
#pragma once

#include "crypto/elgamal.hpp"
#include "crypto/proofs.hpp"

namespace pingyi {

// "tally.too_few" unless the sum adds up at least `min_ballots` (and at least one) ballots:
// the check every decryption of an EncryptedSum makes before touching the key.
Status RequireBallots(const EncryptedSum& sum, std::size_t min_ballots);

// M = B − s·A.
Point DecryptToPoint(const ElectionKeyPair& key, const Ciphertext& ct);

// Chaum–Pedersen proof that B − s·A = m·G for the s behind K: a correct decryption.
ChallengeResponse ProveDecryption(const ElectionKeyPair& key, const Ciphertext& ct, std::uint64_t m, ByteView context,
                                  Rng& rng);

}  // namespace pingyi
