// `pingyi election …`: create an election from a configuration and a roster; show a package.
#pragma once

#include <filesystem>
#include <string>

#include "core/package.hpp"
#include "crypto/result.hpp"
#include "crypto/secret.hpp"

namespace pingyi::cli {

struct CreateOptions {
    std::filesystem::path config;  // election.json (everything but the roster and the id)
    std::filesystem::path roster;  // .csv or .xlsx
    std::filesystem::path out;     // the folder that receives the package, keys and slips
    std::filesystem::path font;    // optional font for the slips
    SuiteId suite = SuiteId::P256_SHA256;
};

struct CreatedFiles {
    std::filesystem::path package;
    std::vector<PlainCode> codes;  // the plaintext codes (already printed on the slips)
};

// The definition from a configuration and a roster, with a fresh election_id (roster
// warnings go to stderr).
Result<ElectionDefinition> LoadDefinition(const std::filesystem::path& config, const std::filesystem::path& roster);

// Writes election.pyp (package), election-key.pyk, admin-key.pyk, code-slips.pdf into
// opts.out and prints the fingerprint. `def`: LoadDefinition's, checked before the passphrase
// was asked for.
Result<CreatedFiles> CreateElectionFiles(const CreateOptions& opts, const ElectionDefinition& def,
                                         const SecretBytes& passphrase);
int ShowPackage(const std::filesystem::path& package);

}  // namespace pingyi::cli
