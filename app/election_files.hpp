// The files of a new evaluation — package, both keys, code slips — written one way for the
// console (`pingyi election create`, `pingyi demo`) and the admin application: never over an
// election in use, keys and slips owner-only, the package last.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/files.hpp"
#include "core/election.hpp"
#include "core/package.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/secret.hpp"

namespace pingyi::app {

// "output.exists" when the folder already holds one of the four files (never overwrite a
// key of an election in use); "output.folder" when it cannot be created.
Status PrepareOutputFolder(const std::filesystem::path& folder);
// The console's stricter rule for `pingyi election create --out` (docs/admin.md: a new or
// empty folder): anything already in the folder refuses it, "output.exists". Nothing is made.
Status CheckEmptyOutputFolder(const std::filesystem::path& folder);

struct WrittenElection {
    std::filesystem::path folder;
    std::string fingerprint_short;
    std::string fingerprint_full;
    std::uint32_t codes = 0;
    std::vector<PlainCode> plain_codes;  // already printed; the screen wipes them at once
};

// Creates the keys, codes and signed package (CreateElection, default KdfParams), writes
// election-key.pyk, admin-key.pyk and code-slips.pdf (owner-only), then election.pyp, and a
// copy of election.pyp alone in kiosk-usb/ (for the kiosk's stick) last;
// on a failure this run's files are removed. `font` as for WriteCodeSlipsPdf. Nothing is
// written if `keep_going` says stop before the writing starts.
// With `trustees` (a finished key ceremony for `def`) no election key file is written: the
// package holds the trustees' commitments and their joint key.
Result<WrittenElection> WriteElection(const ElectionDefinition& def, const SecretBytes& passphrase,
                                      const std::filesystem::path& folder, const std::function<bool()>& keep_going,
                                      KdfParams kdf = {}, const std::filesystem::path& font = {},
                                      const TrusteeSet* trustees = nullptr, SuiteId suite = SuiteId::P256_SHA256);

}  // namespace pingyi::app
