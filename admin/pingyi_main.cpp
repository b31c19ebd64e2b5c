// pingyi: the console tool — create an election, verify, tally, and the demo meeting.
// `pingyi selftest` runs a self-demonstration of the cryptographic core alone.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "admin/cli_io.hpp"
#include "admin/election_cli.hpp"
#include "admin/meeting_cli.hpp"
#include "admin/trustee_cli.hpp"
#include "app/election_files.hpp"
#include "core/font_locator.hpp"
#include "crypto/grid.hpp"
#include "crypto/init.hpp"
#include "crypto/proofs.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// --expect-device and --expect-device-file on `cmd`; `effect` says what a box of another
// device causes there.
void AddDeviceOptions(CLI::App* cmd, std::vector<std::string>& devices, std::vector<std::filesystem::path>& files,
                      const std::string& effect)
{
    cmd->add_option("--expect-device", devices,
                    "a kiosk's device key fingerprint as written down when it was opened (开箱记录); repeat for "
                    "each kiosk: " +
                        effect);
    cmd->add_option("--expect-device-file", files,
                    "a file of such fingerprints, one a line, '#' starts a comment (the list the kiosk exports at "
                    "opening); repeatable, combinable with --expect-device; a malformed file stops the command "
                    "before any box is read")
        ->check(CLI::ExistingFile);
}

// --suite on `cmd`: the cryptographic suite of the election it makes (docs/protocol.md §2).
void AddSuiteOption(CLI::App* cmd, pingyi::SuiteId& suite)
{
    cmd->add_option_function<std::string>(
           "--suite",
           [&suite](const std::string& name) {
               // CLI::IsMember has checked the name.
               suite = pingyi::SuiteFromName(name).value_or(pingyi::SuiteId::P256_SHA256);
           },
           "the cryptographic suite: P256-SHA256 (default) or SM2-SM3 (国密: SM2, SM3, SM4)")
        ->check(CLI::IsMember({std::string(pingyi::SuiteName(pingyi::SuiteId::P256_SHA256)),
                               std::string(pingyi::SuiteName(pingyi::SuiteId::SM2_SM3))}));
}

int RunCryptoDemo()
{
    const pingyi::Group& g = pingyi::Group::P256();
    pingyi::Rng& rng = pingyi::SystemRng();
    const char* options[] = {"优秀", "合格", "基本合格", "不合格"};
    const std::uint32_t members = 12;
    const std::uint32_t voters = 20;
    const pingyi::GridShape shape{members, 4, /*quota_col=*/0, /*quota_max=*/members / 3};
    const pingyi::Bytes context = {'d', 'e', 'm', 'o'};

    std::printf("Pingyi cryptographic self-demonstration (suite %s)\n", std::string(g.Name()).c_str());
    auto key = pingyi::ElectionKeyPair::Generate(g, rng);
    const auto key_proof = pingyi::ProveKeyKnowledge(key, context, rng);
    std::printf("election key K = %s…  key proof: %s\n", pingyi::ToHex(key.public_key().Encode()).substr(0, 16).c_str(),
                pingyi::VerifyKeyKnowledge(key.public_key(), key_proof, context) ? "valid" : "INVALID");

    // Voters choose at random within the quota; the plaintext counts are kept only to
    // show that the decrypted sums equal them.
    std::vector<std::vector<std::uint64_t>> expected(members, std::vector<std::uint64_t>(4, 0));
    std::vector<pingyi::EncryptedGrid> ballots;
    double encrypt_ms = 0, verify_ms = 0;
    for (std::uint32_t v = 0; v < voters; ++v) {
        std::vector<std::uint32_t> choice(members);
        std::uint32_t excellent = 0;
        for (std::uint32_t i = 0; i < members; ++i) {
            std::uint8_t b[1];
            rng.Fill(b);
            std::uint32_t c = b[0] % 10 < 3 ? 0 : b[0] % 10 < 8 ? 1 : b[0] % 10 < 9 ? 2 : 3;
            if (c == 0 && excellent == shape.quota_max) c = 1;
            excellent += c == 0;
            choice[i] = c;
            ++expected[i][c];
        }
        auto t0 = Clock::now();
        ballots.push_back(pingyi::EncryptGrid(key.public_key(), shape, choice, context, rng));
        encrypt_ms += MsSince(t0);
        t0 = Clock::now();
        if (!pingyi::VerifyGrid(key.public_key(), shape, ballots.back(), context)) {
            std::printf("ballot %u failed verification\n", v);
            return 1;
        }
        verify_ms += MsSince(t0);
    }
    std::printf(
        "%u ballots of %u members × 4 options: encrypt+prove %.1f ms/ballot, verify %.1f ms/ballot, %zu bytes/ballot\n",
        voters, members, encrypt_ms / voters, verify_ms / voters, ballots[0].Encode().size());

    auto t0 = Clock::now();
    pingyi::DiscreteLogTable dlog(g, voters);
    bool all_match = true;
    std::printf("\n%-8s", "member");
    for (const char* o : options)
        std::printf("%10s", o);
    std::printf("\n");
    for (std::uint32_t i = 0; i < members; ++i) {
        std::printf("%-8u", i + 1);
        for (std::uint32_t j = 0; j < 4; ++j) {
            std::vector<pingyi::Ciphertext> cells;
            for (const auto& b : ballots)
                cells.push_back(b.cells[i * 4 + j]);
            const auto sum = pingyi::EncryptedSum::Of(cells);
            const auto ctx = pingyi::PositionContext(context, "tally", i, j);
            const auto decrypted = pingyi::DecryptAggregate(key, sum, voters, dlog, ctx, rng);
            const bool ok =
                decrypted &&
                pingyi::VerifyDecryption(key.public_key(), sum.sum(), decrypted->count, decrypted->proof, ctx).ok();
            all_match = all_match && ok && decrypted->count == expected[i][j];
            std::printf("%10llu", static_cast<unsigned long long>(decrypted ? decrypted->count : ~0ull));
        }
        std::printf("\n");
    }
    std::printf("\ndecrypted %u sums with proofs in %.1f ms; every sum equals the votes cast: %s\n", members * 4,
                MsSince(t0), all_match ? "yes" : "NO");
    return all_match ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    if (!pingyi::InitOpenSsl()) {
        std::fputs("pingyi: OpenSSL could not start (OpenSSL 无法启动)\n", stderr);
        return 1;
    }
    CLI::App app{"pingyi — 评议: verifiable anonymous evaluation of members"};
    app.require_subcommand(1);
    // The language of the check lines; given anywhere on the line (fallthrough).
    app.fallthrough();
    app.add_option_function<std::string>(
        "--lang", [](const std::string& lang) { pingyi::cli::SetLanguage(lang); },
        "zh or en: the language of the check lines (default: the environment's, LANG/LC_ALL)");

    pingyi::cli::DemoOptions demo;
    // The source tree's demo election; an installed copy (<exe>/../share/pingyi/demo) otherwise.
    demo.assets = PINGYI_ASSETS_DIR "/demo";
    if (std::error_code ec; !std::filesystem::exists(demo.assets / "election.json", ec))
        demo.assets = pingyi::ExecutableDir() / ".." / "share" / "pingyi" / "demo";
    demo.out = "demo-output";
    auto* demo_cmd = app.add_subcommand("demo", "a whole demo meeting on the bundled demo election");
    demo_cmd->add_option("--assets", demo.assets, "folder with election.json and roster.csv");
    demo_cmd->add_option("--out", demo.out, "folder for every file the meeting makes");
    demo_cmd->add_option("--font", demo.font, "a TrueType font with Chinese glyphs");
    AddSuiteOption(demo_cmd, demo.suite);
    demo_cmd->callback([&] { std::exit(pingyi::cli::RunDemo(demo)); });
    app.add_subcommand("selftest", "a self-demonstration of the cryptographic core with measured figures")
        ->callback([] { std::exit(RunCryptoDemo()); });

    pingyi::cli::VerifyOptions verify;
    auto* verify_cmd = app.add_subcommand("verify", "check an election from public files only (for auditors)");
    verify_cmd->add_option("--package", verify.package, "the election package (election.pyp)")
        ->required()
        ->check(CLI::ExistingFile);
    verify_cmd->add_option("--box", verify.boxes, "a ballot box file; repeat for several kiosks")
        ->required()
        ->check(CLI::ExistingFile);
    verify_cmd->add_option("--results", verify.results, "the signed results file (results.json)")
        ->check(CLI::ExistingFile);
    verify_cmd->add_flag("--tracking-codes", verify.list_tracking, "also list every ballot's tracking code");
    verify_cmd->add_flag("--spoiled", verify.list_spoiled,
                         "also list every checked (spoiled) ballot with the choices its revealed nonces open to");
    verify_cmd->add_flag("--events", verify.list_events, "also list every box's signed event log");
    verify_cmd->add_option("--expect-fingerprint", verify.expect_fingerprint,
                           "the election fingerprint you hold (64 hex digits, or the short form printed on the "
                           "slips): fail unless the package has it");
    AddDeviceOptions(verify_cmd, verify.expect_devices, verify.expect_device_files,
                     "fail unless every box's key is one of them");
    verify_cmd->add_option("--partial", verify.partials, "a trustee's partial decryption file to check; repeat")
        ->check(CLI::ExistingFile);
    verify_cmd->callback([&] { std::exit(pingyi::cli::RunVerify(verify)); });

    pingyi::cli::TallyOptions tally;
    std::uint32_t present = 0;
    auto* tally_cmd =
        app.add_subcommand("tally", "verify, add the encrypted ballots, decrypt only the sums, write the reports");
    tally_cmd->add_option("--package", tally.package)->required()->check(CLI::ExistingFile);
    tally_cmd->add_option("--box", tally.boxes, "a closed ballot box; repeat for several kiosks")
        ->required()
        ->check(CLI::ExistingFile);
    tally_cmd->add_option("--key", tally.election_key, "election-key.pyk")->required()->check(CLI::ExistingFile);
    tally_cmd->add_option("--admin-key", tally.admin_key, "admin-key.pyk")->required()->check(CLI::ExistingFile);
    tally_cmd->add_option("--out", tally.out, "folder for results.json and the reports")->required();
    tally_cmd->add_option("--font", tally.font, "a TrueType font with Chinese glyphs");
    tally_cmd->add_option("--present", present, "the number present at the meeting (实到人数)");
    AddDeviceOptions(tally_cmd, tally.expect_devices, tally.expect_device_files,
                     "nothing is decrypted unless every box's key is one of them");
    tally_cmd->add_option("--passphrase-env", tally.passphrase_env,
                          "read the passphrase from this environment variable");
    tally_cmd->callback([&] {
        if (present > 0) tally.present = present;
        std::exit(pingyi::cli::RunTally(tally));
    });

    auto* election = app.add_subcommand("election", "create or inspect an election")->require_subcommand(1);
    pingyi::cli::CreateOptions create;
    std::string pass_env;
    auto* create_cmd =
        election->add_subcommand("create", "make the election key, codes, signed package and code slips");
    create_cmd->add_option("--config", create.config, "election settings (JSON, see assets/demo/election.json)")
        ->required()
        ->check(CLI::ExistingFile);
    create_cmd->add_option("--roster", create.roster, "the roster (.csv in UTF-8 or GB18030, or .xlsx)")
        ->required()
        ->check(CLI::ExistingFile);
    create_cmd->add_option("--out", create.out, "output folder (e.g. the USB stick)")->required();
    create_cmd->add_option("--font", create.font, "a TrueType font with Chinese glyphs for the slips");
    create_cmd->add_option("--passphrase-env", pass_env, "read the passphrase from this environment variable");
    AddSuiteOption(create_cmd, create.suite);
    create_cmd->callback([&] {
        // The roster, the settings and the folder first: a mistake there is said before the
        // passphrase is typed (twice) for nothing.
        auto def = pingyi::cli::LoadDefinition(create.config, create.roster);
        if (!def) {
            pingyi::cli::SayError(def.error());
            std::exit(1);
        }
        if (const pingyi::Status s = pingyi::app::CheckEmptyOutputFolder(create.out); !s) {
            pingyi::cli::SayError(s.error());
            std::exit(1);
        }
        auto pass = pingyi::cli::ReadPassphrase(pass_env, "Passphrase for the election key / 评议密钥口令: ", true);
        if (!pass) {
            pingyi::cli::SayError(pass.error());
            std::exit(1);
        }
        auto r = pingyi::cli::CreateElectionFiles(create, *def, *pass);
        if (!r) {
            pingyi::cli::SayError(r.error());
            std::exit(1);
        }
    });
    std::filesystem::path show_path;
    auto* show_cmd = election->add_subcommand("show", "verify an election package and print its fingerprint");
    show_cmd->add_option("package", show_path)->required();
    show_cmd->callback([&] { std::exit(pingyi::cli::ShowPackage(show_path)); });

    // The trustees: key ceremony and their part of the tally (docs/admin.md).
    auto* trustee = app.add_subcommand("trustee", "k-of-n trustees: key ceremony, partial decryption, combination")
                        ->require_subcommand(1);
    auto fail = [](const pingyi::Status& s) {
        if (s) std::exit(0);
        pingyi::cli::SayError(s.error());
        std::exit(1);
    };
    auto passphrase = [&](const std::string& env, const char* prompt, bool confirm) {
        auto p = pingyi::cli::ReadPassphrase(env, prompt, confirm);
        if (!p) fail(p.error());
        return std::move(p).value();
    };
    pingyi::cli::TrusteeSetupOptions setup;
    auto* setup_cmd = trustee->add_subcommand("setup", "the secretary names the trustees and k (writes ceremony.json)");
    setup_cmd->add_option("--config", setup.config)->required()->check(CLI::ExistingFile);
    setup_cmd->add_option("--roster", setup.roster)->required()->check(CLI::ExistingFile);
    setup_cmd->add_option("--dir", setup.dir, "the ceremony folder")->required();
    setup_cmd->add_option("--name", setup.names, "a trustee's name; repeat, in order (1 … n ≤ 9)")->required();
    setup_cmd->add_option("--threshold", setup.threshold, "how many trustees are needed to decrypt (k)")->required();
    AddSuiteOption(setup_cmd, setup.suite);
    setup_cmd->callback([&] { fail(pingyi::cli::TrusteeSetup(setup)); });

    std::filesystem::path round_dir, round_key;
    std::uint32_t round_trustee = 0;
    std::string round_env;
    for (int round = 1; round <= 3; ++round) {
        auto* cmd = trustee->add_subcommand("round" + std::to_string(round),
                                            round == 1   ? "a trustee's polynomial, commitments and key file"
                                            : round == 2 ? "a trustee checks round 1 and encrypts its shares"
                                                         : "a trustee checks its shares and keeps its key share");
        cmd->add_option("--dir", round_dir, "the ceremony folder")->required();
        cmd->add_option("--trustee", round_trustee, "your number in the ceremony (1 … n)")->required();
        cmd->add_option("--key", round_key, "your key file (default: trustee-<i>.pyk in the folder)");
        cmd->add_option("--passphrase-env", round_env, "read your passphrase from this environment variable");
        cmd->callback([&, round] {
            const auto pass = passphrase(round_env, "Your passphrase / 您的口令: ", round == 1);
            fail(pingyi::cli::TrusteeRound(round_dir, round_trustee, round, round_key, pass));
        });
    }
    std::filesystem::path finish_dir, finish_out, finish_font;
    std::string finish_env;
    auto* finish_cmd = trustee->add_subcommand("finish", "the secretary makes the package keyed by the trustees");
    finish_cmd->add_option("--dir", finish_dir, "the ceremony folder")->required();
    finish_cmd->add_option("--out", finish_out, "folder for election.pyp, admin-key.pyk, code-slips.pdf")->required();
    finish_cmd->add_option("--font", finish_font, "a TrueType font with Chinese glyphs for the slips");
    finish_cmd->add_option("--passphrase-env", finish_env, "read the admin passphrase from this environment variable");
    finish_cmd->callback([&] {
        const auto pass = passphrase(finish_env, "Admin passphrase / 管理密钥口令: ", true);
        fail(pingyi::cli::TrusteeFinish(finish_dir, finish_out, pass, finish_font).status());
    });

    pingyi::cli::PartialOptions partial;
    std::string partial_env, present_list;
    auto* decrypt_cmd =
        trustee->add_subcommand("decrypt", "a trustee verifies everything, then writes their partial decryption");
    decrypt_cmd->add_option("--package", partial.package)->required()->check(CLI::ExistingFile);
    decrypt_cmd->add_option("--box", partial.boxes, "every closed ballot box")->required()->check(CLI::ExistingFile);
    decrypt_cmd->add_option("--key", partial.key, "your trustee-<i>.pyk")->required()->check(CLI::ExistingFile);
    decrypt_cmd->add_option("--out", partial.out, "the partial decryption file (partial-<i>.json)")->required();
    decrypt_cmd->add_option("--present", present_list, "实到 per category, comma-separated (asked if absent)");
    decrypt_cmd->add_flag("--yes", partial.confirmed, "do not ask for confirmation");
    AddDeviceOptions(decrypt_cmd, partial.expect_devices, partial.expect_device_files,
                     "your key decrypts nothing unless every box's key is one of them");
    decrypt_cmd->add_option("--passphrase-env", partial_env, "read your passphrase from this environment variable");
    decrypt_cmd->callback([&] {
        std::stringstream in(present_list);
        for (std::string item; std::getline(in, item, ',');) {
            try {
                partial.present.push_back(static_cast<std::uint32_t>(std::stoul(item)));
            } catch (const std::exception&) {
                fail(pingyi::MakeError("tally.present", "--present takes numbers separated by commas"));
            }
        }
        const auto pass = passphrase(partial_env, "Your passphrase / 您的口令: ", false);
        fail(pingyi::cli::TrusteeDecrypt(partial, pass));
    });

    pingyi::cli::CombineOptions combine;
    std::string combine_env;
    std::uint32_t combine_present = 0;
    auto* combine_cmd =
        trustee->add_subcommand("combine", "combine k partial decryptions into the signed results and reports");
    combine_cmd->add_option("--package", combine.package)->required()->check(CLI::ExistingFile);
    combine_cmd->add_option("--box", combine.boxes, "every closed ballot box")->required()->check(CLI::ExistingFile);
    combine_cmd->add_option("--partial", combine.partials, "a trustee's partial-<i>.json; repeat")
        ->required()
        ->check(CLI::ExistingFile);
    combine_cmd->add_option("--admin-key", combine.admin_key, "admin-key.pyk")->required()->check(CLI::ExistingFile);
    combine_cmd->add_option("--out", combine.out, "folder for results.json and the reports")->required();
    combine_cmd->add_option("--font", combine.font, "a TrueType font with Chinese glyphs");
    combine_cmd->add_option("--present", combine_present, "the number present at the meeting (实到人数)");
    AddDeviceOptions(combine_cmd, combine.expect_devices, combine.expect_device_files,
                     "nothing is combined unless every box's key is one of them");
    combine_cmd->add_option("--passphrase-env", combine_env,
                            "read the admin passphrase from this environment variable");
    combine_cmd->callback([&] {
        if (combine_present > 0) combine.present = combine_present;
        const auto pass = passphrase(combine_env, "Admin passphrase / 管理密钥口令: ", false);
        fail(pingyi::cli::TrusteeCombine(combine, pass));
    });

    // Whatever a hostile file provokes, the tool ends with a message and exit code 2, never
    // with an uncaught exception (std::terminate, exit 134).
    try {
        CLI11_PARSE(app, argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pingyi: stopped by an unexpected error (意外错误, 已停止): %s\n", e.what());
        return 2;
    }
    return 0;
}
