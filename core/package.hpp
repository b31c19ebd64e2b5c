// The signed election package, the voting codes, and the election fingerprint
// (docs/formats.md §2–3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/election.hpp"
#include "core/json_input.hpp"
#include "core/trustees.hpp"
#include "crypto/hash.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/proofs.hpp"
#include "crypto/sign.hpp"

namespace pingyi {

// Voting codes: 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
// 16·log2(31) ≈ 79 bits, shown as four groups of four: "K7QM-3XHP-9TRW-C4NA".
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t kCodeLength = 16;

std::string GenerateCode(Rng& rng);
// Upper-cases, drops separators (space, '-', full-width forms) and maps common
// look-alikes (O→0 is not in the alphabet, so O, I, L are rejected); nullopt if it
// cannot be a code.
std::optional<std::string> NormalizeCode(std::string_view typed);
std::string FormatCode(std::string_view normalized);
// H("pingyi/v1/code"; salt, normalized code) with the suite's hash: only this goes into the
// package.
Digest HashCode(SuiteId suite, ByteView salt, std::string_view normalized);

struct CodeRecord {
    Digest hash{};
    std::uint32_t category = 0;  // index into categories
    std::uint32_t kiosk = 1;     // 1-based kiosk number the code is bound to
};

// The package's `version` names the form of its ballots (docs/formats.md §2.2, protocol.md
// §5.6): 1, challenge–response proofs (earlier releases); 2, points uncompressed and proofs
// with their commitments, checked in batches. New elections are of version 2.
inline constexpr int kPackageVersionChallengeResponse = 1;
inline constexpr int kPackageVersionWithCommitments = 2;

struct ElectionPackage {
    int version = kPackageVersionWithCommitments;
    ElectionDefinition definition;
    Point public_key{Group::P256()};
    ChallengeResponse key_proof{Scalar(Group::P256()), Scalar(Group::P256())};  // 1-of-1 only
    // k-of-n trustees (docs/formats.md §2.4); without them one election key holds s (weaker).
    std::optional<TrusteeSet> trustees;
    Bytes admin_public_key;
    Bytes code_salt;
    std::vector<CodeRecord> codes;  // sorted by hash: an order that says nothing
    Bytes signature;
    Digest fingerprint{};  // H("pingyi/v1/election-fingerprint"; canonical body)

    [[nodiscard]] const Group& group() const { return public_key.group(); }
    // The package's suite: every hash, proof, signature and key file of the election is of it.
    [[nodiscard]] SuiteId suite() const { return group().id(); }
    [[nodiscard]] nlohmann::json Body() const;
    [[nodiscard]] Bytes Serialize() const;  // the package file
    // The context base of every ballot proof: LP(fingerprint) ‖ be32(category).
    [[nodiscard]] Bytes BallotContext(std::uint32_t category) const;
    // The ballot grid of the election, in the form of the package's version.
    [[nodiscard]] GridShape Shape() const;
};

// "ab12 cd34 ef56 7890 1a2b 3c4d" — the first 12 bytes (96 bits), for people to compare
// across screens, slips and reports: matching a forged package's 96 bits needs about 2^96
// tries, beyond reach (64 bits were not).
inline constexpr std::size_t kShortFingerprintBytes = 12;
std::string ShortFingerprint(const Digest& fp);
// The QR code of a slip holds "<code>/<the whole fingerprint, 64 upper-case hex digits>"
// (QR alphanumeric mode); the kiosk's scanner types it into the code field and EnterCode
// refuses a slip of another election ("session.code_election").
inline constexpr char kSlipQrSeparator = '/';
std::string ToUpperHex(const Digest& fp);

struct PlainCode {
    std::string code;  // formatted
    std::uint32_t category = 0;
    std::uint32_t kiosk = 1;
};

struct CreatedElection {
    ElectionPackage package;
    Bytes election_key_file;       // sealed election secret; empty with trustees
    Bytes admin_key_file;          // sealed admin signing seed
    std::vector<PlainCode> codes;  // for the slips only; never stored elsewhere
};

// Makes the keys, codes and signed package in `suite`. The definition is validated first. With
// `trustees` (from FinishCeremony, for this very definition) the election key is theirs: no
// election secret is made and K = Σ C_i0; without, one election key (1 of 1) is made.
// The trustees' ceremony must be of `suite` ("suite.mismatch").
Result<CreatedElection> CreateElection(const ElectionDefinition& def, std::string_view passphrase, Rng& rng,
                                       KdfParams kdf = {}, const TrusteeSet* trustees = nullptr,
                                       SuiteId suite = SuiteId::P256_SHA256);

// "suite.mismatch": a file of `found`'s suite offered with a package of `package`'s (a
// verifier never mixes suites). `what` names the file: "the ballot box", "the key file" ….
Error SuiteMismatch(std::string_view what, SuiteId found, SuiteId package);

// Parses and verifies a package file: format, definition, signature, key proof,
// codes. Error codes "package.*".
Result<ElectionPackage> LoadPackage(ByteView file);

// The canonical JSON text of docs/formats.md §0 (sorted keys, no spaces, UTF-8).
std::string Canonical(const nlohmann::json& j);
// What the admin key signs for a package (docs/formats.md §2.2): LP("pingyi/v1/package-
// signature") ‖ LP(the canonical body).
Bytes PackageSigningMessage(const std::string& canonical_body);

}  // namespace pingyi
