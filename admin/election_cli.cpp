#include "admin/election_cli.hpp"

#include <cstdio>

#include "admin/cli_io.hpp"
#include "core/package.hpp"
#include "core/roster.hpp"
#include "core/slips.hpp"

namespace pingyi::cli {

Result<CreatedFiles> CreateElectionFiles(const CreateOptions& opts, const SecretBytes& passphrase)
{
    if (passphrase.size() < 8)
        return MakeError("passphrase.weak", "the passphrase must have at least 8 characters (口令至少8个字符)");
    auto config_bytes = ReadFile(opts.config);
    if (!config_bytes) return config_bytes.error();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(config_bytes->begin(), config_bytes->end());
    } catch (const nlohmann::json::exception& e) {
        return MakeError("config.format", opts.config.string() + " is not valid JSON: " + e.what());
    }
    auto roster = ImportRosterFile(opts.roster);
    if (!roster) return roster.error();
    for (const auto& w : roster->warnings)
        std::fprintf(stderr, "warning: %s line %zu: %s\n", opts.roster.string().c_str(), w.line, w.detail.c_str());
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : roster->entries)
        members.push_back({{"name", m.name}, {"id", m.id}, {"note", m.note}});
    Bytes id(16);
    SystemRng().Fill(id);
    j["election_id"] = ToHex(id);
    j["roster"] = members;
    auto def = ElectionFromJson(j);
    if (!def) return def.error();

    const std::string pass(reinterpret_cast<const char*>(passphrase.data()), passphrase.size());
    auto created = CreateElection(*def, pass, SystemRng());
    if (!created) return created.error();

    std::error_code ec;
    std::filesystem::create_directories(opts.out, ec);
    const auto pkg_path = opts.out / "election.pyp";
    for (const auto& [name, data, secret] : {std::tuple{"election.pyp", created->package.Serialize(), false},
                                             std::tuple{"election-key.pyk", created->election_key_file, true},
                                             std::tuple{"admin-key.pyk", created->admin_key_file, true}}) {
        if (Status s = WriteFile(opts.out / name, data, secret); !s) return s.error();
    }
    SlipSheet sheet{
        def->title, def->organization, def->date, ShortFingerprint(created->package.fingerprint), def->test_mode, {}};
    for (const auto& c : created->codes)
        sheet.slips.push_back(
            {c.code, def->categories[c.category].name, def->kiosks > 1 ? std::to_string(c.kiosk) : std::string()});
    if (Status s = WriteCodeSlipsPdf(sheet, opts.out / "code-slips.pdf", opts.font); !s) return s.error();

    std::printf("election created (选举已创建): %s%s\n", def->title.c_str(), def->test_mode ? "  [测试 TEST]" : "");
    std::printf("  members %zu, options %zu, codes %u\n", def->roster.size(), def->options.size(), def->TotalCodes());
    std::printf("  fingerprint (指纹): %s\n", ShortFingerprint(created->package.fingerprint).c_str());
    std::printf("  full fingerprint:   %s\n", ToHex(created->package.fingerprint).c_str());
    std::printf("  package  %s\n  keys     %s, %s (keep them secret and offline)\n  slips    %s\n",
                pkg_path.string().c_str(), (opts.out / "election-key.pyk").string().c_str(),
                (opts.out / "admin-key.pyk").string().c_str(), (opts.out / "code-slips.pdf").string().c_str());
    return CreatedFiles{pkg_path, created->codes};
}

int ShowPackage(const std::filesystem::path& package)
{
    auto bytes = ReadFile(package);
    if (!bytes) {
        std::fprintf(stderr, "error: %s\n", bytes.error().detail.c_str());
        return 1;
    }
    auto pkg = LoadPackage(*bytes);
    if (!pkg) {
        std::fprintf(stderr, "REFUSED (package rejected): %s [%s]\n", pkg.error().detail.c_str(),
                     pkg.error().code.c_str());
        return 1;
    }
    const auto& d = pkg->definition;
    std::printf("%s%s\n%s  %s\n", d.title.c_str(), d.test_mode ? "  [测试 TEST]" : "", d.organization.c_str(),
                d.date.c_str());
    std::printf("fingerprint (指纹): %s\nmembers %zu, codes %zu, kiosks %u\nsignature and key proof: valid\n",
                ShortFingerprint(pkg->fingerprint).c_str(), d.roster.size(), pkg->codes.size(), d.kiosks);
    return 0;
}

}  // namespace pingyi::cli
