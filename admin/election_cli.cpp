#include "admin/election_cli.hpp"

#include <cstdio>

#include "admin/cli_io.hpp"
#include "app/election_files.hpp"
#include "core/package.hpp"
#include "core/roster.hpp"

namespace pingyi::cli {

Result<ElectionDefinition> LoadDefinition(const std::filesystem::path& config, const std::filesystem::path& roster_path)
{
    auto config_bytes = ReadFile(config, FileKind::kSettings);
    if (!config_bytes) return config_bytes.error();
    auto parsed = ParseJson(*config_bytes);
    if (!parsed) return MakeError("config.format", config.string() + ": " + parsed.error().detail);
    nlohmann::json j = std::move(parsed).value();
    if (!j.is_object()) return MakeError("config.format", config.string() + ": the settings are not a JSON object");
    auto roster = ImportRosterFile(roster_path);
    if (!roster) return roster.error();
    for (const auto& w : roster->warnings)
        std::fprintf(stderr, "warning: %s line %zu: %s\n", roster_path.string().c_str(), w.line, w.detail.c_str());
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : roster->entries)
        members.push_back({{"name", m.name}, {"id", m.id}, {"note", m.note}});
    Bytes id(16);
    SystemRng().Fill(id);
    j["election_id"] = ToHex(id);
    j["roster"] = members;
    return ElectionFromJson(j);
}

Result<CreatedFiles> CreateElectionFiles(const CreateOptions& opts, const ElectionDefinition& definition,
                                         const SecretBytes& passphrase)
{
    const ElectionDefinition* def = &definition;
    auto written = app::WriteElection(*def, passphrase, opts.out, {}, {}, opts.font, nullptr, opts.suite);
    if (!written) return written.error();

    const auto pkg_path = opts.out / app::kPackageFile;
    std::printf("election created (评议已创建): %s%s\n", def->title.c_str(), def->test_mode ? "  [测试 TEST]" : "");
    std::printf("  suite (密码套件): %s\n", std::string(SuiteName(opts.suite)).c_str());
    std::printf("  members %zu, options %zu, codes %u\n", def->roster.size(), def->options.size(), def->TotalCodes());
    std::printf("  fingerprint (指纹): %s\n", written->fingerprint_short.c_str());
    std::printf("  full fingerprint:   %s\n", written->fingerprint_full.c_str());
    std::printf("  package  %s\n  keys     %s, %s (keep them secret and offline)\n  slips    %s\n",
                pkg_path.string().c_str(), (opts.out / app::kElectionKeyFile).string().c_str(),
                (opts.out / app::kAdminKeyFile).string().c_str(), (opts.out / app::kSlipsFile).string().c_str());
    return CreatedFiles{pkg_path, std::move(written->plain_codes)};
}

int ShowPackage(const std::filesystem::path& package)
{
    auto bytes = ReadFile(package, FileKind::kPackage);
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
    std::printf("suite (密码套件): %s\n", std::string(SuiteName(pkg->suite())).c_str());
    std::printf("fingerprint (指纹): %s\nmembers %zu, codes %zu, kiosks %u\nsignature and key proof: valid\n",
                ShortFingerprint(pkg->fingerprint).c_str(), d.roster.size(), pkg->codes.size(), d.kiosks);
    return 0;
}

}  // namespace pingyi::cli
