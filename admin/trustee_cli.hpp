// `pingyi trustee …`: the trustees' key ceremony and their part of the tally, on the
// console (docs/admin.md "Trustees"): a face over app/trustee_flow.hpp that prints and asks.
// Every step reads and writes files in one ceremony folder that passes between the trustees'
// sticks or computers; only trustee-<i>.pyk is secret and belongs on that trustee's own stick.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/trustee_flow.hpp"
#include "core/trustee_tally.hpp"
#include "crypto/secret.hpp"

namespace pingyi::cli {

struct TrusteeSetupOptions {
    std::filesystem::path config;
    std::filesystem::path roster;
    std::filesystem::path dir;  // the ceremony folder
    std::vector<std::string> names;
    std::uint32_t threshold = 0;
    SuiteId suite = SuiteId::P256_SHA256;  // of the election the ceremony keys
};
Status TrusteeSetup(const TrusteeSetupOptions& opts);

// Round 1, 2 or 3 of trustee `trustee` with the key file at `key` (default in `dir`).
Status TrusteeRound(const std::filesystem::path& dir, std::uint32_t trustee, int round,
                    const std::filesystem::path& key, const SecretBytes& passphrase);

// The secretary's last step: the package keyed by the trustees, the admin key, the slips.
Result<app::WrittenElection> TrusteeFinish(const std::filesystem::path& dir, const std::filesystem::path& out,
                                           const SecretBytes& admin_passphrase, const std::filesystem::path& font);

struct PartialOptions {
    std::filesystem::path package;
    std::vector<std::filesystem::path> boxes;
    std::filesystem::path key;           // trustee-<j>.pyk
    std::filesystem::path out;           // partial-<j>.json
    std::vector<std::uint32_t> present;  // 实到 per category; asked when empty
    bool confirmed = false;              // --yes: do not ask "decrypt?"
    // The device fingerprints of the opening forms (as for `pingyi tally`): when given, a box
    // of another device stops the trustee before their key decrypts anything.
    std::vector<std::string> expect_devices;
    std::vector<std::filesystem::path> expect_device_files;
};
// Verifies everything, shows the boxes and what will be decrypted, asks for 实到 and a
// confirmation, then writes the trustee's partial decryption.
Status TrusteeDecrypt(const PartialOptions& opts, const SecretBytes& passphrase);

struct CombineOptions {
    std::filesystem::path package;
    std::vector<std::filesystem::path> boxes;
    std::vector<std::filesystem::path> partials;
    std::filesystem::path admin_key;
    std::filesystem::path out;
    std::filesystem::path font;
    std::optional<std::uint32_t> present;
    std::vector<std::string> expect_devices;  // as PartialOptions
    std::vector<std::filesystem::path> expect_device_files;
};
// The combination of at least k partials into results.json and the reports.
Status TrusteeCombine(const CombineOptions& opts, const SecretBytes& admin_passphrase);

// `pingyi verify --partial`: a trustee's partial decryption file checked against the boxes
// (report line "partial.file": binding and every proof).
void VerifyPartialFile(Audit& audit, const std::filesystem::path& partial);

}  // namespace pingyi::cli
