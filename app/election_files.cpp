#include "app/election_files.hpp"

#include <algorithm>
#include <tuple>

#include "core/slips.hpp"
#include "crypto/random.hpp"

namespace pingyi::app {
Status PrepareOutputFolder(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (folder.empty()) return MakeError("output.folder", "no folder chosen");
    for (const auto& name : {std::filesystem::path(kPackageFile), std::filesystem::path(kElectionKeyFile),
                             std::filesystem::path(kAdminKeyFile), std::filesystem::path(kSlipsFile),
                             std::filesystem::path(kKioskFolder) / kPackageFile})
        if (std::filesystem::exists(folder / name, ec))
            return MakeError("output.exists", (folder / name).string() + " exists already");
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder, ec))
        return MakeError("output.folder", "cannot create " + folder.string() + ": " + ec.message());
    return Status::Ok();
}

Status CheckEmptyOutputFolder(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (folder.empty()) return MakeError("output.folder", "no folder chosen");
    if (!std::filesystem::exists(folder, ec)) return Status::Ok();
    if (!std::filesystem::is_directory(folder, ec))
        return MakeError("output.folder", folder.string() + " is not a folder");
    if (!std::filesystem::is_empty(folder, ec) || ec)
        return MakeError("output.exists", folder.string() + " is not empty: choose a new or empty folder");
    return Status::Ok();
}

Result<WrittenElection> WriteElection(const ElectionDefinition& def, const SecretBytes& passphrase,
                                      const std::filesystem::path& folder, const std::function<bool()>& keep_going,
                                      KdfParams kdf, const std::filesystem::path& font, const TrusteeSet* trustees,
                                      SuiteId suite)
{
    if (Status s = CheckPassphrase(passphrase); !s) return s.error();
    if (Status s = PrepareOutputFolder(folder); !s) return s.error();
    std::string pass(reinterpret_cast<const char*>(passphrase.data()), passphrase.size());
    auto created = CreateElection(def, pass, SystemRng(), kdf, trustees, suite);
    std::fill(pass.begin(), pass.end(), '\0');
    if (!created) return created.error();
    if (keep_going && !keep_going()) return MakeError("create.cancelled", "cancelled before any file was written");

    // The package last: a folder with a package always has its keys and slips. On a failure
    // this run's files are removed, so that a second try is not refused as "exists".
    auto fail = [&folder](const Error& e) -> Result<WrittenElection> {
        std::error_code ec;
        for (const char* name : {kPackageFile, kElectionKeyFile, kAdminKeyFile, kSlipsFile})
            std::filesystem::remove(folder / name, ec);
        std::filesystem::remove(folder / kKioskFolder / kPackageFile, ec);
        return e;
    };
    for (const auto& [name, data, secret] : {std::tuple{kElectionKeyFile, created->election_key_file, true},
                                             std::tuple{kAdminKeyFile, created->admin_key_file, true}}) {
        if (data.empty()) continue;  // no election key: the trustees hold it
        if (Status s = WriteFile(folder / name, data, secret); !s) return fail(s.error());
    }
    const std::string fp = ShortFingerprint(created->package.fingerprint);
    SlipSheet sheet{
        def.title, def.organization, def.date, fp, def.test_mode, {}, ToUpperHex(created->package.fingerprint)};
    for (const auto& c : created->codes)
        sheet.slips.push_back(
            {c.code, def.categories[c.category].name, def.kiosks > 1 ? std::to_string(c.kiosk) : std::string()});
    if (Status s = WriteCodeSlipsPdf(sheet, folder / kSlipsFile, font); !s) return fail(s.error());
    const Bytes package = created->package.Serialize();
    if (Status s = WriteFile(folder / kPackageFile, package, false); !s) return fail(s.error());
    std::error_code ec;
    std::filesystem::create_directories(folder / kKioskFolder, ec);
    if (ec) return fail(MakeError("output.folder", "cannot create " + (folder / kKioskFolder).string()));
    if (Status s = WriteFile(folder / kKioskFolder / kPackageFile, package, false); !s) return fail(s.error());

    WrittenElection out;
    out.folder = folder;
    out.fingerprint_short = fp;
    out.fingerprint_full = ToHex(created->package.fingerprint);
    out.codes = def.TotalCodes();
    out.plain_codes = std::move(created->codes);
    return out;
}

}  // namespace pingyi::app
