#include "admin/gui/election_setup.hpp"

#include "admin/cli_io.hpp"
#include "core/slips.hpp"

namespace pingyi::admin {

ElectionForm DefaultForm()
{
    ElectionForm f;
    f.grade_rules = DefaultGradeRules();
    f.categories = {{"党员", 0, 100}};
    return f;
}

std::uint32_t DefaultQuotaMax(std::size_t members)
{
    return static_cast<std::uint32_t>(members / 3);
}

Result<ElectionDefinition> BuildDefinition(const ElectionForm& form, Rng& rng)
{
    ElectionDefinition def;
    Bytes id(16);
    rng.Fill(id);
    def.election_id = ToHex(id);
    def.title = form.title;
    def.organization = form.organization;
    def.date = form.date;
    def.test_mode = form.test_mode;
    for (const auto& e : form.roster)
        def.roster.push_back({e.name, e.id, e.note});
    def.options = DefaultOptions(form.with_unknown);
    def.quota = form.quota;
    def.categories = form.categories;
    def.kiosks = form.kiosks;
    def.min_group_size = form.min_group_size;
    def.grade_rules = form.grade_rules;
    def.default_grade = form.default_grade;
    if (Status s = Validate(def); !s) return s.error();
    return def;
}

std::size_t CodePoints(std::string_view utf8)
{
    std::size_t n = 0;
    for (unsigned char c : utf8)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

Strength PassphraseStrength(std::string_view utf8)
{
    const std::size_t n = CodePoints(utf8);
    if (n < kMinPassphraseChars) return Strength::TooShort;
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : utf8) {
        if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else
            other = true;  // punctuation, spaces, Chinese characters
    }
    const int kinds = int{lower} + int{upper} + int{digit} + int{other};
    if (n >= 16 && kinds >= 2) return Strength::Strong;
    if (n >= 12 && kinds >= 3) return Strength::Strong;
    if (n >= 10 && kinds >= 2) return Strength::Fair;
    return Strength::Weak;
}

Status PrepareOutputFolder(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (folder.empty()) return MakeError("output.folder", "no folder chosen");
    for (const char* name : {kPackageFile, kElectionKeyFile, kAdminKeyFile, kSlipsFile})
        if (std::filesystem::exists(folder / name, ec))
            return MakeError("output.exists", (folder / name).string() + " exists already");
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder, ec))
        return MakeError("output.folder", "cannot create " + folder.string() + ": " + ec.message());
    return Status::Ok();
}

Result<WrittenElection> WriteElection(const ElectionDefinition& def, const SecretBytes& passphrase,
                                      const std::filesystem::path& folder, const std::function<bool()>& keep_going,
                                      KdfParams kdf)
{
    if (passphrase.size() < kMinPassphraseChars)
        return MakeError("passphrase.weak", "the passphrase must have at least 8 characters");
    if (Status s = PrepareOutputFolder(folder); !s) return s.error();
    std::string pass(reinterpret_cast<const char*>(passphrase.data()), passphrase.size());
    auto created = CreateElection(def, pass, SystemRng(), kdf);
    std::fill(pass.begin(), pass.end(), '\0');
    if (!created) return created.error();
    if (keep_going && !keep_going()) return MakeError("create.cancelled", "cancelled before any file was written");

    // The package last: a folder with a package always has its keys and slips. On a failure
    // this run's files are removed, so that a second try is not refused as "exists".
    auto fail = [&folder](const Error& e) -> Result<WrittenElection> {
        std::error_code ec;
        for (const char* name : {kPackageFile, kElectionKeyFile, kAdminKeyFile, kSlipsFile})
            std::filesystem::remove(folder / name, ec);
        return e;
    };
    for (const auto& [name, data, secret] : {std::tuple{kElectionKeyFile, created->election_key_file, true},
                                             std::tuple{kAdminKeyFile, created->admin_key_file, true}}) {
        if (Status s = cli::WriteFile(folder / name, data, secret); !s) return fail(s.error());
    }
    const std::string fp = ShortFingerprint(created->package.fingerprint);
    SlipSheet sheet{def.title, def.organization, def.date, fp, def.test_mode, {}};
    for (const auto& c : created->codes)
        sheet.slips.push_back(
            {c.code, def.categories[c.category].name, def.kiosks > 1 ? std::to_string(c.kiosk) : std::string()});
    if (Status s = WriteCodeSlipsPdf(sheet, folder / kSlipsFile); !s) return fail(s.error());
    if (Status s = cli::WriteFile(folder / kPackageFile, created->package.Serialize(), false); !s)
        return fail(s.error());

    WrittenElection out;
    out.folder = folder;
    out.fingerprint_short = fp;
    out.fingerprint_full = ToHex(created->package.fingerprint);
    out.codes = def.TotalCodes();
    out.plain_codes = std::move(created->codes);
    return out;
}

}  // namespace pingyi::admin
