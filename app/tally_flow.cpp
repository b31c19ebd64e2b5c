#include "app/tally_flow.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "core/decisions.hpp"
#include "core/error_codes.hpp"

namespace pingyi::app {
namespace {

constexpr const char* kBundleMarker = ".pingyi-audit-bundle";

ProgressFn Phase(const PhaseProgress& progress, TallyPhase phase)
{
    if (!progress) return {};
    return [progress, phase](std::size_t done, std::size_t total) { return progress(phase, done, total); };
}

// Reads and verifies the package and boxes; the error says why the flow stops there.
std::optional<Error> VerifyFiles(const TallyRequest& req, const PhaseProgress& progress, TallyOutcome& out)
{
    auto pkg = ReadFile(req.package, FileKind::kPackage);
    if (!pkg) return pkg.error();
    out.package_file = std::move(pkg).value();
    out.audit = VerifyElection(out.package_file, req.boxes, Phase(progress, TallyPhase::Verifying));
    if (out.audit.cancelled) return MakeError(std::string(err::kVerifyCancelled), "the verification was cancelled");
    // Without expected devices the line is a warning: the boxes were not anchored to the kiosks.
    CheckExpectedDevices(out.audit, req.expect_devices);
    return std::nullopt;
}

}  // namespace

std::optional<Error> OpenBoxError(const Audit& audit)
{
    std::string names;
    for (const auto& b : audit.boxes)
        if (!b.closed) names += (names.empty() ? "" : ", ") + b.path.filename().string();
    if (names.empty()) return std::nullopt;
    return MakeError(std::string(err::kTallyOpenBox),
                     names +
                         ": this is a backup taken during voting (the poll was not closed). Close the poll at the "
                         "kiosk, export the ballot box again and tally that copy");
}

void LoadDecisions(const std::filesystem::path& folder, TallyOutcome& out)
{
    const auto& pkg = *out.audit.package;
    out.decisions.assign(pkg.definition.roster.size(), FinalDecision{});
    std::error_code ec;
    if (!std::filesystem::exists(folder / kDecisionsFile, ec)) return;
    auto bytes = ReadFile(folder / kDecisionsFile, FileKind::kDecisions);
    if (!bytes) {
        out.decisions_error = bytes.error();
        return;
    }
    auto d = ParseDecisions(*bytes, pkg);
    if (!d)
        out.decisions_error = d.error();
    else
        out.decisions = std::move(d).value();
}

TallyOutcome VerifyTallyFiles(const TallyRequest& req, const PhaseProgress& progress)
{
    TallyOutcome out;
    if (auto e = VerifyFiles(req, progress, out)) out.error = e;
    return out;
}

TallyOutcome VerifyAndTally(const TallyRequest& req, const PhaseProgress& progress)
{
    TallyOutcome out;
    if (auto e = VerifyFiles(req, progress, out)) {
        out.error = e;
        return out;
    }
    if (!out.audit.report.ok()) {
        out.error = MakeError(std::string(err::kTallyVerify), "verification failed, nothing was decrypted");
        return out;
    }
    if (auto open = OpenBoxError(out.audit)) {
        // Before any key is asked for or opened: a backup is never tallied.
        out.error = open;
        return out;
    }
    if (out.audit.package && out.audit.package->trustees) {
        // No election key exists: k trustees decrypt, then the partials are combined.
        out.error = MakeError(std::string(err::kTallyByTrustees),
                              "this election's key is held by its trustees: each runs 'pingyi trustee decrypt', then "
                              "'pingyi trustee combine' makes the results");
        return out;
    }
    const std::filesystem::path ek_path =
        req.election_key.empty() ? req.key_folder / kElectionKeyFile : req.election_key;
    const std::filesystem::path ak_path = req.admin_key.empty() ? req.key_folder / kAdminKeyFile : req.admin_key;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ek_path, ec) || !std::filesystem::is_regular_file(ak_path, ec)) {
        out.error =
            MakeError("keys.missing",
                      "no key file " + (std::filesystem::is_regular_file(ek_path, ec) ? ak_path : ek_path).string());
        return out;
    }
    if (progress && !progress(TallyPhase::OpeningKeys, 0, 2)) {
        out.error = MakeError(std::string(err::kTallyCancelled), "the tally was cancelled");
        return out;
    }
    auto ek = ReadFile(ek_path, FileKind::kKeyFile);
    auto ak = ReadFile(ak_path, FileKind::kKeyFile);
    if (!ek || !ak) {
        out.error = !ek ? ek.error() : ak.error();
        return out;
    }
    const std::string_view pass(reinterpret_cast<const char*>(req.passphrase->data()), req.passphrase->size());
    auto key = OpenElectionKey(*ek, pass);
    if (!key) {
        out.error = key.error();
        return out;
    }
    if (progress && !progress(TallyPhase::OpeningKeys, 1, 2)) {
        out.error = MakeError(std::string(err::kTallyCancelled), "the tally was cancelled");
        return out;
    }
    auto admin = OpenSigningKey(*ak, pass);
    if (!admin) {
        out.error = admin.error();
        return out;
    }
    SaveResults(RunTally(out.audit, *key, *admin, TallyInput{req.present}, SystemRng(),
                         Phase(progress, TallyPhase::Decrypting)),
                req.out_folder, out);
    return out;
}

void SaveResults(Result<Results> results, const std::filesystem::path& out_folder, TallyOutcome& out)
{
    if (!results) {
        out.error = results.error();
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(out_folder, ec);
    if (Status s = WriteFile(out_folder / kResultsFile, results->Serialize(), false); !s) {
        out.error = s.error();
        return;
    }
    out.results = std::move(results).value();
    LoadDecisions(out_folder, out);
}

TallyOutcome OpenSavedResults(const TallyRequest& req, const PhaseProgress& progress)
{
    TallyOutcome out;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(req.out_folder / kResultsFile, ec)) {
        out.error = MakeError("results.missing", "no results.json in " + req.out_folder.string());
        return out;
    }
    if (auto e = VerifyFiles(req, progress, out)) {
        out.error = e;
        return out;
    }
    auto bytes = ReadFile(req.out_folder / kResultsFile, FileKind::kResults);
    if (!bytes) {
        out.error = bytes.error();
        return out;
    }
    if (out.audit.package) VerifyResults(out.audit, *bytes);
    if (!out.audit.report.ok()) {
        out.error = MakeError(std::string(err::kTallyVerify), "verification failed");
        return out;
    }
    auto results = ParseResults(*bytes, *out.audit.package);
    if (!results) {
        out.error = results.error();
        return out;
    }
    out.results = std::move(results).value();
    LoadDecisions(req.out_folder, out);
    return out;
}

Audit VerifyPublicFiles(const std::filesystem::path& package, const std::vector<std::filesystem::path>& boxes,
                        const std::filesystem::path& results, const std::vector<std::string>& expect_devices,
                        const ProgressFn& progress)
{
    Audit audit;
    auto pkg = ReadFile(package, FileKind::kPackage);
    if (!pkg) {
        audit.report.Add("package.format", false, Phrase::ForError(pkg.error()));
        return audit;
    }
    audit = VerifyElection(*pkg, boxes, progress);
    if (audit.cancelled) return audit;
    CheckExpectedDevices(audit, expect_devices);
    if (results.empty()) return audit;
    auto res = ReadFile(results, FileKind::kResults);
    if (!res)
        audit.report.Add("results.read", false, Phrase::ForError(res.error()));
    else if (audit.package)
        VerifyResults(audit, *res);
    return audit;
}

const char* ReportFileName(Report report)
{
    switch (report) {
        case Report::Workbook:
            return kXlsxFile;
        case Report::TallySheet:
            return kTallySheetFile;
        case Report::Letters:
            return kLettersFile;
    }
    return kLettersFile;
}

Result<std::filesystem::path> WriteReport(Report report, const ElectionPackage& package, const Results& results,
                                          const std::vector<FinalDecision>& decisions,
                                          const std::filesystem::path& out_folder, const std::filesystem::path& font)
{
    std::error_code ec;
    std::filesystem::create_directories(out_folder, ec);
    const ReportInput in{package.definition,
                         results,
                         Summarize(package.definition, results),
                         decisions,
                         ShortFingerprint(package.fingerprint),
                         ToHex(package.fingerprint),
                         font};
    const std::filesystem::path out = out_folder / ReportFileName(report);
    Status s;
    switch (report) {
        case Report::Workbook:
            s = WriteResultsXlsx(in, out);
            break;
        case Report::TallySheet:
            s = WriteTallySheetPdf(in, out);
            break;
        case Report::Letters:
            s = WriteNotificationLettersPdf(in, out);
            break;
    }
    if (!s) return s.error();
    return out;
}

Status SaveDecisions(const std::filesystem::path& out_folder, const ElectionPackage& package,
                     const std::vector<FinalDecision>& decisions)
{
    std::error_code ec;
    std::filesystem::create_directories(out_folder, ec);
    return WriteFile(out_folder / kDecisionsFile, SerializeDecisions(package, decisions), false);
}

std::vector<std::string> TrackingCodes(const Audit& audit)
{
    std::vector<std::string> codes;
    for (const auto& box : audit.boxes)
        for (const auto& ballot : box.contents.ballots)
            codes.push_back(TrackingCode(ballot.hash));
    std::sort(codes.begin(), codes.end());
    return codes;
}

Result<std::filesystem::path> WriteTrackingCodeList(const Audit& audit, const std::filesystem::path& out_folder,
                                                    const std::filesystem::path& font)
{
    if (!audit.package) return MakeError("report.input", "no verified election package");
    std::error_code ec;
    std::filesystem::create_directories(out_folder, ec);
    const auto& pkg = *audit.package;
    TrackingCodeList list{pkg.definition.title,   ShortFingerprint(pkg.fingerprint),
                          ToHex(pkg.fingerprint), pkg.definition.test_mode,
                          TrackingCodes(audit),   font};
    const std::filesystem::path pdf = out_folder / kTrackingCodesPdfFile;
    if (Status s = WriteTrackingCodeListPdf(list, pdf); !s) return s.error();
    if (Status s = WriteFile(out_folder / kTrackingCodesTextFile, AsBytes(TrackingCodeListText(list)), false); !s)
        return s.error();
    return pdf;
}

Status WriteTallyFiles(const TallyOutcome& outcome, const std::filesystem::path& out_folder,
                       const std::filesystem::path& font)
{
    if (!outcome.audit.package || !outcome.results) return MakeError("report.input", "there are no results");
    for (const Report report : kAllReports)
        if (auto written =
                WriteReport(report, *outcome.audit.package, *outcome.results, outcome.decisions, out_folder, font);
            !written)
            return written.error();
    if (auto list = WriteTrackingCodeList(outcome.audit, out_folder, font); !list) return list.error();
    return Status::Ok();
}

Result<std::filesystem::path> WriteAuditBundle(const std::filesystem::path& out_folder,
                                               const std::filesystem::path& package,
                                               const std::vector<std::filesystem::path>& boxes, const Audit& audit)
{
    std::error_code ec;
    std::filesystem::path dir = out_folder / kAuditBundleDir;
    for (int n = 2; std::filesystem::exists(dir, ec) && !std::filesystem::exists(dir / kBundleMarker, ec); ++n)
        dir = out_folder / (std::string(kAuditBundleDir) + "-" + std::to_string(n));
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) return MakeError("file.write", "cannot create " + dir.string() + ": " + ec.message());

    auto copy = [&dir](const std::filesystem::path& from, const std::string& name) -> Status {
        std::error_code e;
        std::filesystem::copy_file(from, dir / name, std::filesystem::copy_options::overwrite_existing, e);
        if (e) return MakeError("file.write", "cannot copy " + from.string() + ": " + e.message());
        return Status::Ok();
    };
    if (Status s = copy(package, "election.pyp"); !s) return s.error();
    std::set<std::string> names;
    std::string box_args;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        std::string name = boxes[i].filename().string();
        if (name == "election.pyp" || name == kResultsFile || !names.insert(name).second) {
            name = "box" + std::to_string(i + 1) + "-" + name;
            names.insert(name);
        }
        if (Status s = copy(boxes[i], name); !s) return s.error();
        box_args += " --box \"" + name + "\"";
    }
    if (Status s = copy(out_folder / kResultsFile, kResultsFile); !s) return s.error();
    if (audit.package)
        if (auto list = WriteTrackingCodeList(audit, dir); !list) return list.error();
    const std::string readme =
        "评议审计包 / Pingyi audit bundle\n"
        "================================\n\n"
        "本文件夹只含公开文件：评议数据包、票箱、签名的计票结果和跟踪码公示表（" +
        std::string(kTrackingCodesPdfFile) + "、" + kTrackingCodesTextFile +
        "）。没有密钥，也没有投票码。\n"
        "This folder holds public files only: the election package, the ballot boxes, the signed\n"
        "results and the list of tracking codes. No key and no voting code.\n\n"
        "核查方法 / How to check:\n"
        "  1. 评议管理工具 pingyi-admin → 仅验证（审计）: 选择 election.pyp、各票箱和 results.json。\n"
        "     pingyi-admin → Verify only (auditor): choose election.pyp, every box and results.json.\n"
        "  2. 或命令行 / or on the console:\n"
        "     pingyi verify --package election.pyp" +
        box_args +
        " --results results.json\n\n"
        "每一项检查都应显示“通过”。格式说明见 docs/formats.md 与 docs/protocol.md。\n"
        "Every check must pass. The formats are specified in docs/formats.md and docs/protocol.md.\n";
    if (Status s = WriteFile(dir / "README.txt", AsBytes(readme), false); !s) return s.error();
    if (Status s = WriteFile(dir / kBundleMarker, AsBytes("made by pingyi-admin\n"), false); !s) return s.error();
    return dir;
}

}  // namespace pingyi::app
