// The secretary's whole before-and-after, through the real windows: a new evaluation from a
// GB18030 roster, a ballot box cast by the core, the tally with its grid, final grades and
// exports, the auditor's verification (honest and tampered), cancel, errors and languages.
#include <sqlite3.h>
#include <wx/display.h>
#include <wx/filepicker.h>
#include <wx/gauge.h>
#include <wx/grid.h>
#include <wx/listctrl.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

#include <wx/display.h>
#include "admin/gui/ceremony_page.hpp"
#include "admin/gui/check_list.hpp"
#include "admin/gui/election_panel.hpp"
#include "admin/gui/home_panel.hpp"
#include "admin/gui/tally_panel.hpp"
#include "admin/gui/trustee_tally_page.hpp"
#include "admin/gui/verify_panel.hpp"
#include "app/files.hpp"
#include "app/trustee_flow.hpp"
#include "core/ballot_box.hpp"
#include "core/decisions.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/sign.hpp"

#include "gui_driver.hpp"

#ifdef _WIN32
#include <wx/msw/wrapwin.h>  // GetDefaultPrinterW
#endif

namespace pingyi::admin::test {
namespace {

// wx's print preview on Windows needs a printer (every Windows has "Microsoft Print to PDF");
// Wine without CUPS has none.
bool NoPrinter()
{
#ifdef _WIN32
    wchar_t name[512];
    DWORD size = 512;
    return GetDefaultPrinterW(name, &size) == 0;
#else
    return false;
#endif
}

constexpr KdfParams kFastKdf{14, 8, 1};
const char* const kPassphrase = "Correct-Horse-7-Battery";
// 喆 堃 (GBK, not GB 2312), 㛃 (Extension A), 𠮷 (Extension B): every screen and PDF shows them.
const char* const kNames[] = {"张伟", "王喆", "邓堃", "刘洋", "赵㛃", "吉𠮷", "赵磊", "吴学军"};
constexpr std::uint32_t kMembers = 8;
// Ballots cast per category: 党员 6 of 10 codes, 群众代表 3 of 4.
constexpr std::uint32_t kVotes[] = {6, 3};

Bytes Read(const std::filesystem::path& p)
{
    return app::ReadFile(p, FileKind::kPackage).value();
}

std::string Head(const std::filesystem::path& p, std::size_t n)
{
    std::ifstream in(p, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    return s;
}

// The choices of voter v of category c: every member rated; at most 2 优秀 (the quota).
std::uint32_t Choice(std::uint32_t category, std::uint32_t voter, std::uint32_t member)
{
    return category == 0 ? (member + voter) % 5 : (member + 2 * voter + 1) % 4;
}

// Made once through the GUI by the first test, then used by the others.
struct Meeting {
    TempDir dir;
    std::filesystem::path folder;  // package, keys, slips
    std::filesystem::path box;
    std::vector<PlainCode> codes;
    std::string fingerprint;
    // [category][member][option], kept by the test only.
    std::vector<std::vector<std::vector<std::uint64_t>>> expected;
    // A trustees' evaluation: each trustee's USB stick (a folder here).
    std::vector<std::filesystem::path> sticks;
};
std::unique_ptr<Meeting> g_meeting;
std::unique_ptr<Meeting> g_trustee_meeting;

// The trustees of the GUI's 2-of-3 ceremony (names typed in step 5) and their passphrases.
const char* const kTrustees[] = {"王强", "李梅", "赵刚"};
std::string TrusteePass(std::uint32_t i)
{
    return "trustee-" + std::to_string(i) + "-passphrase";
}
// Where the ceremony step put trustee i's key file: in a folder of this evaluation on the stick.
std::filesystem::path TrusteeKey(const Meeting& m, std::uint32_t i)
{
    const auto setup = app::LoadCeremonySetup(m.folder / "ceremony");
    REQUIRE(setup.ok());
    const auto key = app::StickKeyPath(m.sticks[i - 1], *setup, i);
    CHECK(key.parent_path().parent_path() == m.sticks[i - 1]);
    return key;
}

void GoTo(Session& s, const char* home_button, MainFrame::Screen screen)
{
    if (s.frame->screen() != MainFrame::kHome) s.frame->ShowScreen(MainFrame::kHome);
    Pump();
    Click(s.Get<wxButton>(home_button));
    REQUIRE(WaitUntil([&] { return s.frame->screen() == screen; }));
    Pump(5);
}

void Next(Session& s, int expected_step)
{
    auto* panel = s.frame->election();
    Click(s.Get<wxButton>("election.next"));
    INFO("problem: " << s.Get<wxStaticText>("election.problem")->GetLabel().utf8_string());
    REQUIRE(WaitUntil([&] { return panel->step() == expected_step; }));
    Pump(5);
}

void RunCeremony(Session& s, Meeting& m);

// Steps 1–7 of the new-evaluation flow, through the dialogs; with `trustees` the key is made
// by three trustees (any two decrypt) in the ceremony step.
void CreateThroughTheGui(Session& s, Meeting& m, bool trustees = false, SuiteId suite = SuiteId::P256_SHA256)
{
    // The one-key run keeps the screenshots of every step; the trustees' and the 国密 runs add
    // their own.
    const bool guomi = suite == SuiteId::SM2_SM3;
    auto shot = [&s, trustees, guomi](const std::string& name) {
        if (!trustees && !guomi) s.Shot(name);
    };
    GoTo(s, "home.new", MainFrame::kNewElection);
    auto* panel = s.frame->election();
    REQUIRE(panel->step() == ElectionPanel::kBasics);

    // 1. Basics: an empty title is refused with a reason.
    Click(s.Get<wxButton>("election.next"));
    REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
    CHECK(panel->step() == ElectionPanel::kBasics);
    auto* title = s.Get<wxTextCtrl>("election.title");
    Type(title, "2026 ");
    title->AppendText(wxString::FromUTF8("年度第一党支部民主评议党员"));
    // Typing the title takes the complaint about it away.
    CHECK(WaitUntil([&] { return s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
    s.Get<wxTextCtrl>("election.organization")->ChangeValue(wxString::FromUTF8("中共示范学院第一党支部"));
    CHECK(s.Get<wxRadioButton>("election.test_mode")->GetValue());
    // The 国密 run is the official evaluation: 国密 is what it is proposed.
    if (guomi) {
        Click(s.Get<wxRadioButton>("election.official_mode"));
        REQUIRE(WaitUntil([&] { return s.Get<wxRadioButton>("election.official_mode")->GetValue(); }));
    }
    shot("new-1-basics");
    Next(s, ElectionPanel::kRoster);

    // 2. Roster: the GB18030 file, decoded and shown for checking.
    Next(s, ElectionPanel::kRoster);  // refused: nothing imported yet
    s.Get<wxFilePickerCtrl>("election.roster_file")
        ->SetPath(wxString::FromUTF8(PINGYI_ADMIN_TEST_DATA) + "/roster_gb18030.csv");
    Click(s.Get<wxButton>("election.import"));
    REQUIRE(WaitUntil([&] { return panel->roster().size() == kMembers; }));
    auto* grid = s.Get<wxGrid>("election.roster_grid");
    REQUIRE(grid->GetNumberRows() == static_cast<int>(kMembers));
    for (std::uint32_t i = 0; i < kMembers; ++i)
        CHECK(grid->GetCellValue(static_cast<int>(i), 1).utf8_string() == kNames[i]);
    CHECK(grid->GetCellValue(0, 2) == "A001");
    CHECK(grid->GetCellValue(0, 3).utf8_string() == "支部书记");
    CHECK(Says(s.Get<wxStaticText>("election.roster_status"), "GB18030"));
    shot("new-2-roster");
    Next(s, ElectionPanel::kGrades);

    // 3. Grades: 不了解 on; the quota follows the roster (⌊8/3⌋ = 2).
    Click(s.Get<wxCheckBox>("election.unknown"));
    REQUIRE(WaitUntil([&] { return Says(s.Get<wxStaticText>("election.options"), wxString::FromUTF8("不了解")); }));
    CHECK(s.Get<wxSpinCtrl>("election.quota_max")->GetValue() == 2);
    CHECK(s.Get<wxGrid>("election.rules")->GetNumberRows() == 3);
    shot("new-3-grades");
    Next(s, ElectionPanel::kVoters);

    // 4. Voters: 党员 10 codes weight 70, 群众代表 4 codes weight 30.
    auto* cats = s.Get<wxGrid>("election.categories");
    CHECK(cats->GetCellValue(0, 1) == "8");  // one code per member by default
    Click(s.Get<wxButton>("election.add_category"));
    REQUIRE(WaitUntil([&] { return cats->GetNumberRows() == 2; }));
    CHECK(cats->GetCellValue(1, 0).utf8_string() == "群众代表");
    EditCell(cats, 0, 1, "10");
    EditCell(cats, 0, 2, "70");
    EditCell(cats, 1, 1, "4");
    EditCell(cats, 1, 2, "30");
    REQUIRE(WaitUntil([&] { return Says(s.Get<wxStaticText>("election.codes_total"), "14"); }));
    // A rehearsal is proposed P-256; an official evaluation 国密 (SM2-SM3), with the reason.
    auto* suite_choice = s.Get<wxChoice>("election.suite");
    auto* suite_hint = s.Get<wxStaticText>("election.suite_hint");
    CHECK(suite_choice->GetSelection() == (guomi ? 1 : 0));
    CHECK(Says(suite_hint, wxString::FromUTF8(guomi ? "密评" : "P-256")));
    if (guomi) {
        CHECK(suite_choice->GetStringSelection().Contains("SM2"));
        s.Shot("new-4-voters-guomi");
        // The secretary's own choice stands: P-256 chosen by hand survives a step back and forth,
        // and the hint says what the choice gives up.
        Choose(suite_choice, 0);
        CHECK(Says(suite_hint, wxString::FromUTF8("SM2")));
        Click(s.Get<wxButton>("election.back"));
        REQUIRE(WaitUntil([&] { return panel->step() == ElectionPanel::kGrades; }));
        Next(s, ElectionPanel::kVoters);
        CHECK(suite_choice->GetSelection() == 0);
        Choose(suite_choice, 1);
        CHECK(Says(suite_hint, wxString::FromUTF8("密评")));
    }
    shot("new-4-voters");
    Next(s, ElectionPanel::kPassphrase);

    // 5. Who holds the key: the trustees by default (3, any 2 decrypt).
    CHECK(s.Get<wxRadioButton>("election.by_trustees")->GetValue());
    CHECK(panel->by_trustees());
    CHECK(s.Get<wxSpinCtrl>("election.trustees_n")->GetValue() == 3);
    CHECK(s.Get<wxSpinCtrl>("election.trustees_k")->GetValue() == 2);
    if (trustees) {
        // Names missing or twice the same are refused.
        Type(s.Get<wxTextCtrl>("election.passphrase"), kPassphrase);
        Type(s.Get<wxTextCtrl>("election.passphrase2"), kPassphrase);
        s.Get<wxTextCtrl>("election.trustee_name_1")->ChangeValue(wxString::FromUTF8(kTrustees[0]));
        s.Get<wxTextCtrl>("election.trustee_name_2")->ChangeValue(wxString::FromUTF8(kTrustees[0]));
        Click(s.Get<wxButton>("election.next"));
        REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
        CHECK(panel->step() == ElectionPanel::kPassphrase);
        for (int i = 0; i < 3; ++i)
            s.Get<wxTextCtrl>(("election.trustee_name_" + std::to_string(i + 1)).c_str())
                ->SetValue(wxString::FromUTF8(kTrustees[i]));  // as typed: the problem goes away
        REQUIRE(WaitUntil([&] { return s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
        s.Shot("trustees-1-key-holders");
        Next(s, ElectionPanel::kCreate);
    } else {
        Click(s.Get<wxRadioButton>("election.one_key"));
        REQUIRE(WaitUntil([&] { return !panel->by_trustees(); }));
    }

    // 5. Passphrase: too short is refused; then twice the same.
    auto* pass = s.Get<wxTextCtrl>("election.passphrase");
    if (!trustees) {
        auto* pass2 = s.Get<wxTextCtrl>("election.passphrase2");
        Type(pass, "abc");
        REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.strength")->GetLabel().empty(); }));
        Click(s.Get<wxButton>("election.next"));
        REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
        CHECK(panel->step() == ElectionPanel::kPassphrase);
        Type(pass, kPassphrase);
        Type(pass2, kPassphrase);
        REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.match")->GetLabel().empty(); }));
        shot("new-5-passphrase");
        Next(s, ElectionPanel::kCreate);
    }

    // 6. Create, into a new folder; 7. the fingerprint.
    m.folder = m.dir / "evaluation";
    s.Get<wxDirPickerCtrl>("election.folder")->SetPath(wxString::FromUTF8(m.folder.string()));
    CHECK(s.Get<wxTextCtrl>("election.summary")->GetValue().Contains(wxString::FromUTF8("群众代表")));
    CHECK(s.Get<wxTextCtrl>("election.summary")->GetValue().Contains(wxString::FromUTF8("李梅")) == trustees);
    // The summary names the suite chosen, before anything is made.
    CHECK(s.Get<wxTextCtrl>("election.summary")->GetValue().Contains(guomi ? "SM2" : "P-256"));
    shot("new-6-create");
    panel->SetCodesObserver([&m](const std::vector<PlainCode>& codes) { m.codes = codes; });
    Click(s.Get<wxButton>("election.next"));
    if (trustees) RunCeremony(s, m);
    REQUIRE(WaitUntil([&] { return panel->step() == ElectionPanel::kDone; }, 60000));
    panel->SetCodesObserver({});
    CHECK(s.hooks.errors.empty());
    shot("new-7-fingerprint");
    if (trustees) return;
    // The kiosk's stick gets kiosk-usb: the public package alone, no key.
    CHECK(Read(m.folder / "kiosk-usb" / "election.pyp") == Read(m.folder / "election.pyp"));
    for (const auto& entry : std::filesystem::directory_iterator(m.folder / "kiosk-usb"))
        CHECK(entry.path().filename() == "election.pyp");
    // No PDF viewer on this machine: "open the code slips" says where the file is.
    s.hooks.can_open = false;
    Click(s.Get<wxButton>("election.open_slips"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty(); }));
    CHECK(s.hooks.errors.back().message.Contains(wxString::FromUTF8((m.folder / "code-slips.pdf").string())));
    s.hooks.errors.clear();
    s.hooks.can_open = true;
}

// The ceremony step: each trustee in turn, round by round, chooses their stick and types their
// passphrase; trustee 2 first mistypes theirs in round 2 and is refused by name.
void RunCeremony(Session& s, Meeting& m)
{
    auto* panel = s.frame->election();
    REQUIRE(WaitUntil([&] { return panel->step() == ElectionPanel::kCeremony; }));
    CeremonyPage* ceremony = panel->ceremony();
    CHECK(std::filesystem::exists(m.folder / "ceremony" / "ceremony.json"));
    for (std::uint32_t i = 1; i <= 3; ++i) {
        m.sticks.push_back(m.dir / ("stick-" + std::to_string(i)));
        std::filesystem::create_directories(m.sticks.back());
    }
    auto* list = s.Get<wxListCtrl>("ceremony.list");
    REQUIRE(list->GetItemCount() == 3);
    for (int i = 0; i < 3; ++i)
        CHECK(list->GetItemText(i, 1).utf8_string() == kTrustees[i]);
    for (int round = 1; round <= 3; ++round)
        for (std::uint32_t i = 1; i <= 3; ++i) {
            INFO("round " << round << ", trustee " << i);
            REQUIRE(ceremony->turn().has_value());
            CHECK(ceremony->turn()->round == round);
            CHECK(ceremony->turn()->trustee == i);
            CHECK(Says(s.Get<wxStaticText>("ceremony.turn"), wxString::FromUTF8(kTrustees[i - 1])));
            if (round == 3 && i == 3) {
                // 赵刚 runs the last step on their own computer (the console, the same app
                // function); the round file copied into the folder counts once it is read again.
                auto r = app::RunTrusteeRound(m.folder / "ceremony", 3, 3, TrusteeKey(m, 3),
                                              SecretBytes::FromString(TrusteePass(3)));
                REQUIRE(r.ok());
                CHECK(ceremony->rounds_done()[2] == 2);
                Click(s.Get<wxButton>("ceremony.reload"));
                REQUIRE(WaitUntil([&] { return ceremony->rounds_done()[2] == 3; }));
                continue;
            }
            s.Get<wxDirPickerCtrl>("ceremony.stick")->SetPath(wxString::FromUTF8(m.sticks[i - 1].string()));
            auto* pass2 = s.Get<wxTextCtrl>("ceremony.passphrase2");
            CHECK(pass2->IsShown() == (round == 1));
            if (round == 2 && i == 2) {
                Type(s.Get<wxTextCtrl>("ceremony.passphrase"), TrusteePass(3));
                Click(s.Get<wxButton>("ceremony.go"));
                REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !ceremony->busy(); }, 60000));
                const auto shown = s.hooks.errors.back();
                CHECK(shown.error.code == "keyfile.passphrase");
                // In plain words, with the trustee's name.
                CHECK(shown.message.Contains(wxString::FromUTF8("李梅")));
                CHECK(shown.message.utf8_string().find("口令") != std::string::npos);
                CHECK(Says(s.Get<wxStaticText>("ceremony.status"), wxString::FromUTF8("李梅")));
                CHECK(ceremony->rounds_done()[1] == 1);
                s.Shot("trustees-2-ceremony-wrong-passphrase");
                s.hooks.errors.clear();
            }
            Type(s.Get<wxTextCtrl>("ceremony.passphrase"), TrusteePass(i));
            if (round == 1) Type(pass2, TrusteePass(i));
            Click(s.Get<wxButton>("ceremony.go"));
            REQUIRE(WaitUntil([&] { return !ceremony->busy() && ceremony->rounds_done()[i - 1] == round; }, 60000));
            CHECK(s.hooks.errors.empty());
            if (round == 1) CHECK(std::filesystem::exists(TrusteeKey(m, i)));
            if (round == 2 && i == 3) s.Shot("trustees-3-ceremony");
        }
    // The secret key files are on the sticks only; the folder keeps the public files.
    for (std::uint32_t i = 1; i <= 3; ++i)
        CHECK_FALSE(std::filesystem::exists(m.folder / "ceremony" / ("trustee-" + std::to_string(i) + ".pyk")));
}

void HoldTheMeeting(Meeting& m)
{
    auto pkg = LoadPackage(Read(m.folder / "election.pyp"));
    REQUIRE(pkg.ok());
    m.box = m.dir / "kiosk1.sqlite";
    auto box = BallotBox::Create(m.box, *pkg, 1, "1234", SystemRng(), kFastKdf);
    REQUIRE(box.ok());
    m.expected.assign(2, std::vector<std::vector<std::uint64_t>>(kMembers, std::vector<std::uint64_t>(5, 0)));
    for (std::uint32_t cat = 0; cat < 2; ++cat) {
        std::uint32_t voter = 0;
        for (const auto& code : m.codes) {
            if (code.category != cat || voter == kVotes[cat]) continue;
            std::vector<std::uint32_t> choices(kMembers);
            for (std::uint32_t i = 0; i < kMembers; ++i) {
                choices[i] = Choice(cat, voter, i);
                ++m.expected[cat][i][choices[i]];
            }
            auto grid = EncryptGrid(pkg->public_key, pkg->Shape(), choices, pkg->BallotContext(cat), SystemRng());
            REQUIRE(box->Cast(*NormalizeCode(code.code), grid).ok());
            ++voter;
        }
        REQUIRE(voter == kVotes[cat]);
    }
    REQUIRE(box->Close().ok());
}

Meeting& GuiMeeting()
{
    if (!g_meeting) {
        auto m = std::make_unique<Meeting>();
        Session s;
        CreateThroughTheGui(s, *m);
        m->fingerprint = s.frame->election()->fingerprint();
        HoldTheMeeting(*m);
        g_meeting = std::move(m);
    }
    return *g_meeting;
}

// Steps 1–6 in brief, keyed by the three trustees, into `folder`: the ceremony step.
void ToCeremony(Session& s, const std::filesystem::path& folder)
{
    GoTo(s, "home.new", MainFrame::kNewElection);
    auto* panel = s.frame->election();
    s.Get<wxTextCtrl>("election.title")->ChangeValue(wxString::FromUTF8("2026 年度民主评议（续做仪式）"));
    Next(s, ElectionPanel::kRoster);
    s.Get<wxFilePickerCtrl>("election.roster_file")
        ->SetPath(wxString::FromUTF8(PINGYI_ADMIN_TEST_DATA) + "/roster_gb18030.csv");
    Click(s.Get<wxButton>("election.import"));
    REQUIRE(WaitUntil([&] { return panel->roster().size() == kMembers; }));
    Next(s, ElectionPanel::kGrades);
    Next(s, ElectionPanel::kVoters);
    Next(s, ElectionPanel::kPassphrase);
    for (int i = 0; i < 3; ++i)
        s.Get<wxTextCtrl>(("election.trustee_name_" + std::to_string(i + 1)).c_str())
            ->SetValue(wxString::FromUTF8(kTrustees[i]));
    Type(s.Get<wxTextCtrl>("election.passphrase"), kPassphrase);
    Type(s.Get<wxTextCtrl>("election.passphrase2"), kPassphrase);
    Next(s, ElectionPanel::kCreate);
    s.Get<wxDirPickerCtrl>("election.folder")->SetPath(wxString::FromUTF8(folder.string()));
    Click(s.Get<wxButton>("election.next"));
    REQUIRE(WaitUntil([&] { return panel->step() == ElectionPanel::kCeremony; }));
}

Meeting& TrusteeMeeting()
{
    if (!g_trustee_meeting) {
        auto m = std::make_unique<Meeting>();
        Session s;
        CreateThroughTheGui(s, *m, /*trustees=*/true);
        m->fingerprint = s.frame->election()->fingerprint();
        s.Shot("trustees-4-fingerprint");
        HoldTheMeeting(*m);
        g_trustee_meeting = std::move(m);
    }
    return *g_trustee_meeting;
}

// Sets up the tally screen with the meeting's files (the box through the "Add box" chooser).
void OpenTally(Session& s, const Meeting& m, const std::filesystem::path& out)
{
    GoTo(s, "home.tally", MainFrame::kTally);
    s.Get<wxFilePickerCtrl>("tally.package")->SetPath(wxString::FromUTF8((m.folder / "election.pyp").string()));
    s.Get<wxDirPickerCtrl>("tally.out")->SetPath(wxString::FromUTF8(out.string()));
    s.hooks.next_files = {m.box};
    Click(s.Get<wxButton>("tally.boxes.add"));
    REQUIRE(WaitUntil([&] { return s.frame->tally()->boxes()->paths().size() == 1; }));
}

// A check that passed; boxes.registered is a warning when no expected kiosk devices are given.
std::string PassOrUnanchored(const CheckList* checks, long row)
{
    return checks->RowId(row) == "boxes.registered" ? "warning" : "pass";
}

// The state of check `id` in the list ("" if it is not there).
std::string StateOf(const CheckList* checks, const std::string& id)
{
    for (long i = 0; i < checks->GetItemCount(); ++i)
        if (checks->RowId(i) == id) return checks->RowState(i);
    return {};
}

std::string Cell(wxGrid* g, int row, int col)
{
    return g->GetCellValue(row, col).utf8_string();
}

}  // namespace

TEST_CASE("a secretary creates an evaluation through the dialogs from a GB18030 roster")
{
    Meeting& m = GuiMeeting();
    for (const char* f : {"election.pyp", "election-key.pyk", "admin-key.pyk", "code-slips.pdf"}) {
        INFO(f);
        CHECK(std::filesystem::file_size(m.folder / f) > 100);
    }
    CHECK(Head(m.folder / "code-slips.pdf", 5) == "%PDF-");
    auto pkg = LoadPackage(Read(m.folder / "election.pyp"));
    REQUIRE(pkg.ok());
    // The fingerprint shown big on the last step is the package's.
    CHECK(m.fingerprint == ShortFingerprint(pkg->fingerprint));
    const auto& def = pkg->definition;
    CHECK(def.title == "2026 年度第一党支部民主评议党员");
    CHECK(def.organization == "中共示范学院第一党支部");
    CHECK(def.test_mode);
    REQUIRE(def.roster.size() == kMembers);
    for (std::uint32_t i = 0; i < kMembers; ++i)
        CHECK(def.roster[i].name == kNames[i]);
    CHECK(def.roster[7].id == "A008");
    CHECK(def.roster[7].note == "宣传委员");
    CHECK(def.options == DefaultOptions(true));
    REQUIRE(def.quota.has_value());
    CHECK(def.quota->max == 2);
    REQUIRE(def.categories.size() == 2);
    CHECK(def.categories[0].name == "党员");
    CHECK(def.categories[0].codes == 10);
    CHECK(def.categories[0].weight == 70);
    CHECK(def.categories[1].name == "群众代表");
    CHECK(def.categories[1].codes == 4);
    CHECK(def.categories[1].weight == 30);
    CHECK(def.grade_rules.size() == DefaultGradeRules().size());
    CHECK(m.codes.size() == 14);
    // The keys open with the passphrase typed twice.
    CHECK(OpenElectionKey(Read(m.folder / "election-key.pyk"), kPassphrase).ok());
#ifndef _WIN32
    CHECK((std::filesystem::status(m.folder / "election-key.pyk").permissions() &
           std::filesystem::perms::others_read) == std::filesystem::perms::none);
#endif
}

TEST_CASE("an SM2-SM3 (国密) evaluation is made and tallied through the dialogs, and verifies")
{
    Meeting m;
    {
        Session s;
        CreateThroughTheGui(s, m, /*trustees=*/false, SuiteId::SM2_SM3);
    }
    const auto pkg_bytes = Read(m.folder / "election.pyp");
    auto pkg = LoadPackage(pkg_bytes);
    REQUIRE(pkg.ok());
    CHECK(pkg->suite() == SuiteId::SM2_SM3);
    CHECK(OpenElectionKey(Read(m.folder / "election-key.pyk"), kPassphrase).ok());
    HoldTheMeeting(m);

    TempDir out_dir;
    const auto out = out_dir / "results";
    Session s;
    OpenTally(s, m, out);
    auto* tally = s.frame->tally();
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return tally->has_results() && !tally->busy(); }, 120000));
    REQUIRE(s.hooks.errors.empty());
    Audit audit = VerifyElection(pkg_bytes, {m.box});
    VerifyResults(audit, Read(out / "results.json"));
    CHECK(audit.report.ok());
    const auto results = ParseResults(Read(out / "results.json"), *pkg).value();
    CHECK(results.TotalBallots() == kVotes[0] + kVotes[1]);
    const auto summary = Summarize(pkg->definition, results);
    REQUIRE(summary.size() == kMembers);
    for (std::uint32_t i = 0; i < kMembers; ++i)
        for (std::uint32_t o = 0; o < 5; ++o) {
            INFO("member " << i << ", option " << o);
            CHECK(summary[i].total[o] == m.expected[0][i][o] + m.expected[1][i][o]);
        }
}

TEST_CASE("a roster error names the line, and the flow does not go on without a roster")
{
    TempDir dir;
    const auto bad = dir / "bad.csv";
    std::ofstream(bad) << "姓名,工号\n张伟,A001\n12345,A002\n";
    Session s;
    GoTo(s, "home.new", MainFrame::kNewElection);
    s.Get<wxTextCtrl>("election.title")->ChangeValue(wxString::FromUTF8("测试"));
    Next(s, ElectionPanel::kRoster);
    s.Get<wxFilePickerCtrl>("election.roster_file")->SetPath(wxString::FromUTF8(bad.string()));
    Click(s.Get<wxButton>("election.import"));
    auto* error = s.Get<wxStaticText>("election.roster_error");
    REQUIRE(WaitUntil([&] { return !error->GetLabel().empty(); }));
    CHECK(Says(error, wxString::FromUTF8("第 3 行")));
    CHECK(s.frame->election()->roster().empty());
    s.Shot("new-2-roster-error");
    Click(s.Get<wxButton>("election.next"));
    REQUIRE(WaitUntil([&] { return !s.Get<wxStaticText>("election.problem")->GetLabel().empty(); }));
    CHECK(s.frame->election()->step() == ElectionPanel::kRoster);
}

TEST_CASE("roster notices (a title row, two members of the same name) are listed with their lines")
{
    TempDir dir;
    const auto file = dir / "notices.csv";
    std::ofstream(file) << "2026年度民主评议名单\n姓名,工号\n张伟,A001\n王芳,A002\n张伟,A003\n";
    Session s;
    GoTo(s, "home.new", MainFrame::kNewElection);
    s.Get<wxTextCtrl>("election.title")->ChangeValue(wxString::FromUTF8("测试"));
    Next(s, ElectionPanel::kRoster);
    s.Get<wxFilePickerCtrl>("election.roster_file")->SetPath(wxString::FromUTF8(file.string()));
    Click(s.Get<wxButton>("election.import"));
    REQUIRE(WaitUntil([&] { return s.frame->election()->roster().size() == 3; }));
    auto* notices = s.Get<wxListCtrl>("election.roster_warnings");
    CHECK(notices->IsShown());
    REQUIRE(notices->GetItemCount() >= 2);
    std::vector<std::string> lines;
    for (long i = 0; i < notices->GetItemCount(); ++i)
        lines.push_back(notices->GetItemText(i, 0).utf8_string());
    CHECK(std::find(lines.begin(), lines.end(), "1") != lines.end());  // the title row
    CHECK(std::find(lines.begin(), lines.end(), "5") != lines.end());  // the second 张伟
    // Notices do not stop the flow.
    Next(s, ElectionPanel::kGrades);
}

TEST_CASE("a wrong passphrase is explained in plain words and nothing is decrypted")
{
    Meeting& m = GuiMeeting();
    TempDir out;
    Session s;
    OpenTally(s, m, out.path());
    Type(s.Get<wxTextCtrl>("tally.passphrase"), "not-the-passphrase");
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !s.frame->tally()->busy(); }, 60000));
    const auto& shown = s.hooks.errors.front();
    CHECK(shown.error.code == "keyfile.passphrase");
    // Chinese, from the core catalog: not the English detail.
    CHECK(shown.message.utf8_string().find("口令") != std::string::npos);
    CHECK_FALSE(s.frame->tally()->has_results());
    CHECK_FALSE(std::filesystem::exists(out / "results.json"));
    // Verification itself passed: every check green before the key was tried.
    auto* checks = s.Get<CheckList>("tally.checks");
    REQUIRE(checks->GetItemCount() > 5);
    for (long i = 0; i < checks->GetItemCount(); ++i)
        CHECK(checks->RowState(i) == PassOrUnanchored(checks, i));
    // The dialog the secretary sees (shown modeless here for the screenshot).
    auto* dlg = new ErrorDialog(s.frame, shown.message, shown.error);
    dlg->Show();
    Pump(20);
    s.Shot("error-dialog");
    dlg->Destroy();
    Pump();
}

TEST_CASE("the tally of a core-made box shows the votes in the grid and exports every report")
{
    Meeting& m = GuiMeeting();
    TempDir out_dir;
    const auto out = out_dir / "results";
    Session s;
    OpenTally(s, m, out);
    auto* tally = s.frame->tally();
    Click(s.Get<wxCheckBox>("tally.present_on"));
    s.Get<wxSpinCtrl>("tally.present")->SetValue(9);
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return tally->has_results() && !tally->busy(); }, 60000));
    REQUIRE(s.hooks.errors.empty());
    CHECK(tally->page() == TallyPanel::kResults);
    CHECK(s.Get<wxTextCtrl>("tally.passphrase")->GetValue().empty());

    // The signed results verify from the public files alone.
    const auto pkg_bytes = Read(m.folder / "election.pyp");
    {
        Audit audit = VerifyElection(pkg_bytes, {m.box});
        VerifyResults(audit, Read(out / "results.json"));
        CHECK(audit.report.ok());
    }
    const auto pkg = LoadPackage(pkg_bytes).value();
    const auto results = ParseResults(Read(out / "results.json"), pkg).value();
    CHECK(results.TotalBallots() == 9);
    REQUIRE(results.present.has_value());
    CHECK(*results.present == 9);
    const auto summary = Summarize(pkg.definition, results);

    // The grid: one row per member, counts with shares, weighted shares, suggested grade.
    auto* grid = s.Get<wxGrid>("tally.grid");
    const int options = 5;
    REQUIRE(grid->GetNumberRows() == static_cast<int>(kMembers));
    REQUIRE(grid->GetNumberCols() == 2 + 2 * options + 3);
    for (std::uint32_t i = 0; i < kMembers; ++i) {
        const int row = static_cast<int>(i);  // roster order before any sorting
        INFO("member " << kNames[i]);
        CHECK(Cell(grid, row, 0) == std::to_string(i + 1));
        CHECK(Cell(grid, row, 1) == kNames[i]);
        for (std::uint32_t o = 0; o < options; ++o) {
            const std::uint64_t c0 = m.expected[0][i][o], c1 = m.expected[1][i][o];
            char share[64], weighted[64];
            std::snprintf(share, sizeof share, "%llu (%.1f%%)", static_cast<unsigned long long>(c0 + c1),
                          100.0 * static_cast<double>(c0 + c1) / 9);
            // Groups 党员 (6 ballots, weight 70) and 群众代表 (3 ballots, weight 30).
            std::snprintf(weighted, sizeof weighted, "%.1f%%",
                          (70 * 100.0 * static_cast<double>(c0) / 6 + 30 * 100.0 * static_cast<double>(c1) / 3) / 100);
            CHECK(Cell(grid, row, 2 + static_cast<int>(o)) == share);
            CHECK(Cell(grid, row, 2 + options + static_cast<int>(o)) == weighted);
        }
        CHECK(Cell(grid, row, 2 + 2 * options) == pkg.definition.options[summary[i].suggested]);
        CHECK(grid->GetCellBackgroundColour(row, 2 + 2 * options) == GradeColour(summary[i].suggested));
        CHECK(Cell(grid, row, 2 + 2 * options + 1).empty());  // no final grade yet
    }

    // Sorting: a click on the 优秀 heading sorts by that count, a second click reverses.
    const int col = 2;
    auto click_heading = [&] {
        wxWindow* labels = grid->GetGridColLabelWindow();
        const wxRect r = grid->CellToRect(0, col);
        int x = 0, y = 0;
        grid->CalcScrolledPosition(r.x + r.width / 2, 0, &x, &y);
        ClickAt(labels, wxPoint(x, labels->GetClientSize().y / 2));
    };
    auto counts_in_order = [&] {
        std::vector<std::uint64_t> v;
        for (auto member : tally->order())
            v.push_back(m.expected[0][member][0] + m.expected[1][member][0]);
        return v;
    };
    click_heading();
    REQUIRE(WaitUntil([&] { return grid->IsSortingBy(col); }));
    auto asc = counts_in_order();
    CHECK(std::is_sorted(asc.begin(), asc.end()));
    click_heading();
    REQUIRE(WaitUntil([&] { return !grid->IsSortOrderAscending(); }));
    auto desc = counts_in_order();
    CHECK(std::is_sorted(desc.rbegin(), desc.rend()));
    for (int row = 0; row < grid->GetNumberRows(); ++row)
        CHECK(Cell(grid, row, 1) == kNames[tally->order()[static_cast<std::size_t>(row)]]);

    // 组织评定: the admin records a final grade and a remark in the grid; saved at once.
    const std::uint32_t top = tally->order()[0];
    EditCell(grid, 0, 2 + 2 * options + 1, wxString::FromUTF8("优秀"));
    EditCell(grid, 0, 2 + 2 * options + 2, wxString::FromUTF8("表现突出"));
    REQUIRE(tally->decisions()[top].grade == std::optional<std::uint32_t>(0));
    CHECK(tally->decisions()[top].remark == "表现突出");
    CHECK(grid->GetCellBackgroundColour(0, 2 + 2 * options + 1) == GradeColour(0));
    tally->SetDecision((top + 1) % kMembers, 1, "");
    auto saved = ParseDecisions(Read(out / "decisions.json"), pkg);
    REQUIRE(saved.ok());
    CHECK(saved->at(top).grade == std::optional<std::uint32_t>(0));
    CHECK(saved->at(top).remark == "表现突出");
    CHECK(saved->at((top + 1) % kMembers).grade == std::optional<std::uint32_t>(1));
    grid->SetGridCursor(0, 1);
    Pump(5);
    CHECK(Says(s.Get<wxStaticText>("tally.results_info"), wxString::FromUTF8(ShortFingerprint(pkg.fingerprint))));
    s.Shot("tally-2-results");

    // Letters while members still read 待支部研究确定: a question first; "no" writes nothing.
    s.hooks.answer = false;
    Click(s.Get<wxButton>("tally.export_letters"));
    REQUIRE(WaitUntil([&] { return s.hooks.questions.size() == 1; }));
    CHECK(s.hooks.questions[0].Contains(wxString::FromUTF8("待支部研究确定")));
    CHECK(s.hooks.questions[0].Contains(wxString::Format("%zu", static_cast<std::size_t>(kMembers - 2))));
    Pump(10);
    CHECK_FALSE(tally->busy());
    CHECK_FALSE(std::filesystem::exists(out / "notification-letters.pdf"));
    s.hooks.answer = true;
    // 组织评定 for all at once: the undecided take the suggested grade, the two recorded stay;
    // then one is changed by hand. No question any more before the letters.
    Click(s.Get<wxButton>("tally.accept_suggested"));
    REQUIRE(WaitUntil([&] {
        return std::all_of(tally->decisions().begin(), tally->decisions().end(),
                           [](const FinalDecision& d) { return d.grade.has_value(); });
    }));
    for (std::uint32_t i = 0; i < kMembers; ++i) {
        INFO("member " << kNames[i]);
        if (i == top)
            CHECK(tally->decisions()[i].grade == std::optional<std::uint32_t>(0));
        else if (i == (top + 1) % kMembers)
            CHECK(tally->decisions()[i].grade == std::optional<std::uint32_t>(1));
        else
            CHECK(tally->decisions()[i].grade == std::optional<std::uint32_t>(summary[i].suggested));
    }
    const std::uint32_t changed = (top + 2) % kMembers;
    tally->SetDecision(changed, 3, "");
    {
        auto all = ParseDecisions(Read(out / "decisions.json"), pkg);
        REQUIRE(all.ok());
        for (std::uint32_t i = 0; i < kMembers; ++i)
            CHECK(all->at(i).grade == tally->decisions()[i].grade);
        CHECK(all->at(changed).grade == std::optional<std::uint32_t>(3));
    }
    s.Shot("tally-2-results-all-decided");

    // Exports: Excel, tally sheet, letters, audit bundle — each a real, non-empty file.
    const std::pair<const char*, const char*> exports[] = {{"tally.export_xlsx", "results.xlsx"},
                                                           {"tally.export_sheet", "tally-sheet.pdf"},
                                                           {"tally.export_letters", "notification-letters.pdf"},
                                                           {"tally.export_tracking", "tracking-codes.pdf"},
                                                           {"tally.export_bundle", "audit-bundle/README.txt"}};
    for (const auto& [button, file] : exports) {
        INFO(button);
        Click(s.Get<wxButton>(button));
        REQUIRE(WaitUntil([&] { return !tally->busy() && std::filesystem::exists(out / file); }, 60000));
        CHECK(s.hooks.errors.empty());
        CHECK(std::filesystem::file_size(out / file) > 100);
    }
    CHECK(s.hooks.questions.size() == 1);  // every member decided: no question
    CHECK(Head(out / "results.xlsx", 2) == "PK");
    CHECK(Head(out / "tally-sheet.pdf", 5) == "%PDF-");
    CHECK(Head(out / "notification-letters.pdf", 5) == "%PDF-");
    CHECK(Head(out / "tracking-codes.pdf", 5) == "%PDF-");
    {
        // 跟踪码公示: after its heading, exactly the tracking codes of the box's ballots, each
        // computed here from the ballot's body, sorted; the bundle holds the same list.
        const auto box = ReadBox(m.box).value();
        std::vector<std::string> codes;
        for (const auto& row : box.ballots)
            codes.push_back(TrackingCode(BallotHash(pkg.suite(), pkg.fingerprint, box.kiosk, row.body)));
        std::sort(codes.begin(), codes.end());
        const Bytes list = Read(out / "tracking-codes.txt");
        std::string expected = "\n";
        for (const auto& c : codes)
            expected += c + "\n";
        const std::string text(list.begin(), list.end());
        REQUIRE(codes.size() == 9);
        CHECK(text.rfind("跟踪码公示\n", 0) == 0);
        CHECK(text.find("共 9 张选票") != std::string::npos);
        CHECK(text.substr(text.size() - expected.size()) == expected);
        CHECK(Read(out / "audit-bundle" / "tracking-codes.txt") == list);
    }
    // The bundle holds the public files only, and they verify.
    const auto bundle = out / "audit-bundle";
    CHECK_FALSE(std::filesystem::exists(bundle / "election-key.pyk"));
    CHECK_FALSE(std::filesystem::exists(bundle / "admin-key.pyk"));
    {
        Audit audit = VerifyElection(Read(bundle / "election.pyp"), {bundle / m.box.filename()});
        VerifyResults(audit, Read(bundle / "results.json"));
        CHECK(audit.report.ok());
    }

    // Print: the table in the grid's order, through wx printing (the preview).
    const std::string html = tally->PrintHtml();
    CHECK(html.find(kNames[top]) < html.find(kNames[tally->order()[1]]));
    CHECK(html.find("表现突出") != std::string::npos);
    if (NoPrinter()) {
        WARN_MESSAGE(false, "no printer here (Wine without CUPS): the print preview is not opened");
    } else {
        wxFrame* preview = tally->ShowPrintPreview();
        REQUIRE(preview != nullptr);
        preview->SetSize(1180, 820);
        preview->Move(0, 0);
        Pump(30);
        Screenshot(preview, "tally-3-print-preview");
        preview->Close(true);
        Pump(5);
    }

    // The checks, all green.
    Click(s.Get<wxButton>("tally.to_checks"));
    REQUIRE(WaitUntil([&] { return tally->page() == TallyPanel::kOpen; }));
    auto* checks = s.Get<CheckList>("tally.checks");
    REQUIRE(checks->GetItemCount() == 17);  // with ballots.spoiled and boxes.registered
    for (long i = 0; i < checks->GetItemCount(); ++i)
        CHECK(checks->RowState(i) == PassOrUnanchored(checks, i));
    s.Shot("tally-1-checks");

    // Reopening the saved results needs no key and brings back the final grades.
    Click(s.Get<wxButton>("tally.open_saved"));
    REQUIRE(WaitUntil([&] { return !tally->busy() && tally->page() == TallyPanel::kResults; }, 60000));
    CHECK(tally->decisions()[top].grade == std::optional<std::uint32_t>(0));
}

TEST_CASE("the tally of boxes from a kiosk not on the opening forms decrypts nothing; the right kiosk passes")
{
    Meeting& m = GuiMeeting();
    TempDir out_dir;
    const auto out = out_dir / "results";
    Session s;
    OpenTally(s, m, out);
    auto* tally = s.frame->tally();
    auto* checks = s.Get<CheckList>("tally.checks");
    Type(s.Get<wxTextCtrl>("tally.devices"), "0123-4567-89ab-cdef");
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !tally->busy(); }, 60000));
    CHECK(s.hooks.errors.back().error.code == "tally.verify");
    CHECK(StateOf(checks, "boxes.registered") == "fail");
    CHECK_FALSE(tally->has_results());
    CHECK_FALSE(std::filesystem::exists(out / "results.json"));
    s.Shot("tally-devices-wrong");
    s.hooks.errors.clear();

    // A malformed list: refused with its line before the passphrase is taken or a box is read.
    s.Get<wxTextCtrl>("tally.devices")->ChangeValue("0123-4567-89ab-cdef\n\nkiosk 2\n");
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty(); }));
    CHECK(s.hooks.errors.back().error.code == "devices.line");
    CHECK(s.hooks.errors.back().error.detail.find("line 3:") == 0);
    CHECK_FALSE(tally->busy());
    CHECK(s.Get<wxTextCtrl>("tally.passphrase")->GetValue() == kPassphrase);  // not taken
    s.hooks.errors.clear();

    const std::string fp = KeyFingerprint(ReadBox(m.box).value().device_public_key);
    s.Get<wxTextCtrl>("tally.devices")->ChangeValue(wxString::FromUTF8(fp));
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return tally->has_results() && !tally->busy(); }, 60000));
    CHECK(s.hooks.errors.empty());
    CHECK(std::filesystem::exists(out / "results.json"));
    Click(s.Get<wxButton>("tally.to_checks"));
    REQUIRE(WaitUntil([&] { return tally->page() == TallyPanel::kOpen; }));
    CHECK(StateOf(checks, "boxes.registered") == "pass");
    s.Shot("tally-devices-right");
}

TEST_CASE("a tally missing one kiosk's box is refused: nothing is decrypted")
{
    // Two kiosks; only kiosk 1's box comes back. Every proof holds, but the verifier's
    // boxes.complete check fails, so the tally decrypts nothing.
    TempDir dir;
    ElectionDefinition def;
    def.election_id = "0123456789abcdef0123456789abcdef";
    def.title = "两台投票机";
    def.date = "2026-12-01";
    for (const char* n : kNames)
        def.roster.push_back({n, "", ""});
    def.options = DefaultOptions(false);
    def.categories = {{"党员", 8, 1}};
    def.kiosks = 2;
    def.grade_rules = DefaultGradeRules();
    auto created = CreateElection(def, kPassphrase, SystemRng(), kFastKdf);
    REQUIRE(created.ok());
    REQUIRE(app::WriteFile(dir / "election.pyp", created->package.Serialize(), false).ok());
    REQUIRE(app::WriteFile(dir / "election-key.pyk", created->election_key_file, true).ok());
    REQUIRE(app::WriteFile(dir / "admin-key.pyk", created->admin_key_file, true).ok());
    const auto pkg = LoadPackage(created->package.Serialize()).value();
    {
        auto box = BallotBox::Create(dir / "kiosk1.sqlite", pkg, 1, "1234", SystemRng(), kFastKdf);
        REQUIRE(box.ok());
        for (const auto& code : created->codes) {
            if (code.kiosk != 1) continue;
            std::vector<std::uint32_t> choices(kMembers, 1);
            auto grid = EncryptGrid(pkg.public_key, pkg.Shape(), choices, pkg.BallotContext(0), SystemRng());
            REQUIRE(box->Cast(*NormalizeCode(code.code), grid).ok());
        }
        REQUIRE(box->Close().ok());
    }
    Session s;
    GoTo(s, "home.tally", MainFrame::kTally);
    s.Get<wxFilePickerCtrl>("tally.package")->SetPath(wxString::FromUTF8((dir / "election.pyp").string()));
    s.hooks.next_files = {dir / "kiosk1.sqlite"};
    Click(s.Get<wxButton>("tally.boxes.add"));
    Click(s.Get<wxCheckBox>("tally.present_on"));
    s.Get<wxSpinCtrl>("tally.present")->SetValue(8);
    Type(s.Get<wxTextCtrl>("tally.passphrase"), kPassphrase);
    Click(s.Get<wxButton>("tally.start"));
    auto* tally = s.frame->tally();
    REQUIRE(WaitUntil([&] { return !tally->busy(); }, 60000));
    wxMilliSleep(200);
    REQUIRE(WaitUntil([&] { return !tally->busy(); }, 60000));
    CHECK_FALSE(tally->has_results());
    CHECK_FALSE(std::filesystem::exists(dir / "results" / "results.json"));
    // The core says which box is missing.
    const Audit audit = VerifyElection(created->package.Serialize(), {dir / "kiosk1.sqlite"});
    CHECK(audit.report.Failed("boxes.complete"));
}

TEST_CASE("the auditor's verification lists every check green, and red for a tampered box")
{
    Meeting& m = GuiMeeting();
    TempDir out;
    // Results to publish, made by the core as the console would.
    {
        Audit audit = VerifyElection(Read(m.folder / "election.pyp"), {m.box});
        auto key = OpenElectionKey(Read(m.folder / "election-key.pyk"), kPassphrase);
        auto admin = OpenSigningKey(Read(m.folder / "admin-key.pyk"), kPassphrase);
        REQUIRE(key.ok());
        REQUIRE(admin.ok());
        auto r = RunTally(audit, *key, *admin, {}, SystemRng());
        REQUIRE(r.ok());
        REQUIRE(app::WriteFile(out / "results.json", r->Serialize(), false).ok());
    }
    Session s;
    GoTo(s, "home.verify", MainFrame::kVerify);
    auto* verify = s.frame->verify();
    s.Get<wxFilePickerCtrl>("verify.package")->SetPath(wxString::FromUTF8((m.folder / "election.pyp").string()));
    s.Get<wxFilePickerCtrl>("verify.results")->SetPath(wxString::FromUTF8((out / "results.json").string()));
    s.hooks.next_files = {m.box};
    Click(s.Get<wxButton>("verify.boxes.add"));
    REQUIRE(WaitUntil([&] { return verify->boxes()->paths().size() == 1; }));
    Click(s.Get<wxButton>("verify.start"));
    REQUIRE(WaitUntil([&] { return !verify->verdict().empty(); }, 60000));
    CHECK(verify->verdict() == "passed");
    auto* checks = s.Get<CheckList>("verify.checks");
    REQUIRE(checks->GetItemCount() == 25);  // with ballots.spoiled and boxes.registered
    for (long i = 0; i < checks->GetItemCount(); ++i)
        CHECK(checks->RowState(i) == PassOrUnanchored(checks, i));
    // The box's event log, one row per event, in the reader's words (Chinese here).
    {
        auto contents = ReadBox(m.box);
        REQUIRE(contents.ok());
        auto* events = s.Get<wxListCtrl>("verify.events");
        REQUIRE(events->GetItemCount() == static_cast<int>(contents->events.size()));
        REQUIRE(events->GetItemCount() >= 2);
        for (long i = 0; i < events->GetItemCount(); ++i) {
            const auto body = nlohmann::json::parse(contents->events[static_cast<std::size_t>(i)].body);
            CHECK(events->GetItemText(i, 1) == wxString::Format("%ld", i));
            // The kiosk's UTC time, shown in this computer's time zone ("2026年12月05日 11:36:29").
            CHECK(events->GetItemText(i, 2) == LocalTimeInWords(body.at("time").get<std::string>()));
            CHECK(events->GetItemText(i, 2).Contains(wxString::FromUTF8("年")));
            CHECK(events->GetItemText(i, 3) == EventName(body.at("event").get<std::string>(), true));
        }
        CHECK(events->GetItemText(0, 3).utf8_string() == "开始投票");
        CHECK(events->GetItemText(0, 4).utf8_string() == "投票机 1");
        // No ballot was checked by the tellers.
        CHECK(s.Get<wxListCtrl>("verify.spoiled")->GetItemCount() == 0);
        // A voter finds their tracking code (typed in lower case without the dash); a code
        // that no cast ballot has is said to be missing.
        auto* tracking = s.Get<wxListCtrl>("verify.tracking");
        REQUIRE(tracking->GetItemCount() == static_cast<int>(contents->ballots.size()));
        const std::string code = TrackingCode(contents->ballots.back().hash);
        std::string typed;
        for (const char ch : code)
            if (ch != '-') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        auto* search = s.Get<wxTextCtrl>("verify.tracking-search");
        Type(search, typed);
        REQUIRE(WaitUntil([&] { return tracking->GetItemCount() >= 1; }));
        bool found = false;
        for (long i = 0; i < tracking->GetItemCount(); ++i)
            found = found || tracking->GetItemText(i, 1).utf8_string() == code;
        CHECK(found);
        const bool narrowed =
            contents->ballots.size() == 1 || tracking->GetItemCount() < static_cast<int>(contents->ballots.size());
        CHECK(narrowed);
        Type(search, "0000");  // 0 is never in a tracking code
        REQUIRE(WaitUntil([&] { return tracking->GetItemCount() == 0; }));
        CHECK(s.Get<wxStaticText>("verify.tracking-found")->GetLabel().utf8_string() == "在已投选票中未找到。");
        search->SetValue(wxString());
    }
    s.Shot("verify-passed");

    // The kiosk devices from the signed opening forms (开箱记录): a wrong fingerprint fails
    // boxes.registered, the right one passes; a typo is refused with its line before anything
    // is verified; the list a kiosk exports loads into the field.
    {
        const std::string fp = KeyFingerprint(ReadBox(m.box).value().device_public_key);
        auto* devices = s.Get<wxTextCtrl>("verify.devices");
        const auto run = [&] {
            Click(s.Get<wxButton>("verify.start"));
            REQUIRE(WaitUntil([&] { return !verify->verdict().empty() && !verify->busy(); }, 60000));
        };
        Type(devices, "0123-4567-89ab-cdef");
        run();
        CHECK(verify->verdict() == "failed");
        CHECK(StateOf(checks, "boxes.registered") == "fail");
        s.Shot("verify-devices-wrong");
        devices->ChangeValue(wxString::FromUTF8("# 开箱记录\n" + fp + "   # 投票机 1\n"));
        run();
        CHECK(verify->verdict() == "passed");
        CHECK(StateOf(checks, "boxes.registered") == "pass");
        s.Shot("verify-devices-right");

        devices->ChangeValue(wxString::FromUTF8(fp + "\n0123-4567\n"));
        s.hooks.errors.clear();
        Click(s.Get<wxButton>("verify.start"));
        REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty(); }));
        CHECK(s.hooks.errors.back().error.code == "devices.line");
        CHECK(s.hooks.errors.back().error.detail.find("line 2:") == 0);
        CHECK(s.hooks.errors.back().message.Contains(wxString::FromUTF8("第 2 行")));
        CHECK_FALSE(verify->busy());
        CHECK(verify->verdict() == "passed");  // the last run's: nothing was verified
        CHECK(StateOf(checks, "boxes.registered") == "pass");
        s.hooks.errors.clear();

        const auto list = out / "devices.txt";
        std::ofstream(list, std::ios::binary) << "\xEF\xBB\xBF# kiosk 1\r\n" << fp << "\r\n";
        s.hooks.next_files = {list};
        Click(s.Get<wxButton>("verify.devices.load"));
        REQUIRE(WaitUntil([&] { return devices->GetValue().Contains(wxString::FromUTF8(fp)); }));
        CHECK(s.hooks.errors.empty());
        run();
        CHECK(StateOf(checks, "boxes.registered") == "pass");
        // Left empty: the line warns that the boxes were not anchored, and the run passes.
        devices->ChangeValue(wxString());
        run();
        CHECK(verify->verdict() == "passed");
        CHECK(StateOf(checks, "boxes.registered") == "warning");
    }

    // A copy of the box altered by `sql`, verified in place of the one in the list; the state
    // of check `id` afterwards.
    const auto verify_copy = [&](const char* name, const char* sql, const char* id) {
        const auto copy = out / name;
        std::filesystem::copy_file(m.box, copy);
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(copy.string().c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
        s.Get<wxListBox>("verify.boxes.list")->SetSelection(0);
        Click(s.Get<wxButton>("verify.boxes.remove"));
        REQUIRE(WaitUntil([&] { return verify->boxes()->paths().empty(); }));
        s.hooks.next_files = {copy};
        Click(s.Get<wxButton>("verify.boxes.add"));
        REQUIRE(WaitUntil([&] { return verify->boxes()->paths().size() == 1; }));
        Click(s.Get<wxButton>("verify.start"));
        REQUIRE(WaitUntil([&] { return !verify->verdict().empty(); }, 60000));
        std::string state;
        for (long i = 0; i < checks->GetItemCount(); ++i)
            if (checks->RowId(i) == id) state = checks->RowState(i);
        return state;
    };

    // One byte of one ballot changed: it is no longer stored under its own hash, and the list says so.
    CHECK(verify_copy("tampered.sqlite",
                      "UPDATE ballots SET body = CAST(substr(body, 1, 100) || X'00' || substr(body, 102) AS BLOB) "
                      "WHERE hash = (SELECT min(hash) FROM ballots)",
                      "box.ballots") == "fail");
    CHECK(verify->verdict() == "failed");
    s.Shot("verify-failed");

    // The box as it is during the poll (no close seal, no poll_closed event yet): checked
    // as far as it goes and shown as open, not as passed.
    s.Get<wxFilePickerCtrl>("verify.results")->SetPath("");
    CHECK(verify_copy("open.sqlite",
                      "DELETE FROM seals WHERE kind = 'close'; DELETE FROM events WHERE seq >= (SELECT seq FROM "
                      "events WHERE CAST(body AS TEXT) LIKE '%\"poll_closed\"%')",
                      "box.close") == "open");
    CHECK(verify->verdict() == "open");
}

TEST_CASE("cancel stops a long verification and the window stays responsive")
{
    // A larger election made by the core: 12 members × 5 options, 80 ballots, in a version 1
    // package (form-1 ballots, checked one proof at a time: a batch of form 2 would be over
    // before the click).
    TempDir dir;
    ElectionDefinition def;
    def.election_id = "00112233445566778899aabbccddeeff";
    def.title = "取消测试";
    def.date = "2026-12-01";
    for (int i = 0; i < 12; ++i)
        def.roster.push_back({"成员" + std::to_string(i + 1), "", ""});
    def.options = DefaultOptions(true);
    def.categories = {{"党员", 80, 1}};
    def.grade_rules = DefaultGradeRules();
    auto created = CreateElection(def, "cancel-passphrase", SystemRng(), kFastKdf);
    REQUIRE(created.ok());
    // The same package as version 1, signed again with its admin key.
    ElectionPackage v1 = created->package;
    v1.version = kPackageVersionChallengeResponse;
    v1.signature = OpenSigningKey(created->admin_key_file, "cancel-passphrase")
                       .value()
                       .Sign(PackageSigningMessage(Canonical(v1.Body())));
    REQUIRE(app::WriteFile(dir / "election.pyp", v1.Serialize(), false).ok());
    const auto pkg = LoadPackage(v1.Serialize()).value();
    REQUIRE(pkg.Shape().form == ProofForm::kChallengeResponse);
    {
        auto box = BallotBox::Create(dir / "box.sqlite", pkg, 1, "1234", SystemRng(), kFastKdf);
        REQUIRE(box.ok());
        std::uint32_t v = 0;
        for (const auto& code : created->codes) {
            std::vector<std::uint32_t> choices(12);
            for (std::uint32_t i = 0; i < 12; ++i)
                choices[i] = (i + v) % 5;
            ++v;
            auto grid = EncryptGrid(pkg.public_key, pkg.Shape(), choices, pkg.BallotContext(0), SystemRng());
            REQUIRE(box->Cast(*NormalizeCode(code.code), grid).ok());
        }
        REQUIRE(box->Close().ok());
    }
    Session s;
    GoTo(s, "home.verify", MainFrame::kVerify);
    auto* verify = s.frame->verify();
    s.Get<wxFilePickerCtrl>("verify.package")->SetPath(wxString::FromUTF8((dir / "election.pyp").string()));
    s.hooks.next_files = {dir / "box.sqlite"};
    Click(s.Get<wxButton>("verify.boxes.add"));
    REQUIRE(WaitUntil([&] { return verify->boxes()->paths().size() == 1; }));
    Click(s.Get<wxButton>("verify.start"));
    // The first progress report arrives while the proofs are being checked.
    auto* gauge = s.Get<wxGauge>("verify.gauge");
    REQUIRE(WaitUntil([&] { return gauge->GetRange() == 80; }, 30000));
    CHECK(verify->busy());
    // The window answers while the worker runs: the event loop turns many times.
    int turns = 0;
    const auto t0 = std::chrono::steady_clock::now();
    // (Up to 1 s for 4 turns: a Wine message loop on a loaded machine turns slower than GTK's; stopping at 4
    // keeps the cancel below early enough to land while the worker still runs.)
    while (turns <= 3 && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1000)) {
        wxYield();
        ++turns;
    }
    CHECK(turns > 3);
    Click(s.Get<wxButton>("verify.cancel"));
    REQUIRE(WaitUntil([&] { return !verify->verdict().empty(); }, 30000));
    CHECK(verify->verdict() == "cancelled");
    bool proofs_cancelled = false;
    auto* checks = s.Get<CheckList>("verify.checks");
    for (long i = 0; i < checks->GetItemCount(); ++i)
        if (checks->RowId(i) == "ballots.proofs") proofs_cancelled = checks->RowState(i) == "fail";
    CHECK(proofs_cancelled);
}

TEST_CASE("the window fits a 1280 x 720 screen with its bottom buttons on it")
{
    // ctest runs it in an Xvfb of 1280 x 720 (tests/admin_gui/CMakeLists.txt): the window as
    // the program opens it, not the tests' usual size. On a larger display it must fit too.
    const wxRect display = wxDisplay(0u).GetGeometry();
    MESSAGE("display " << display.width << " x " << display.height);
    auto* frame = new MainFrame();
    frame->Centre();
    frame->Show();
    REQUIRE(WaitUntil([&] { return frame->IsShownOnScreen(); }));
    Pump(20);
    const auto inside = [&](wxWindow* w) {
        const wxRect r = w->GetScreenRect();
        INFO(w->GetName().utf8_string() << " at " << r.x << "," << r.y << " " << r.width << "x" << r.height
                                        << " on a display of " << display.width << "x" << display.height);
        CHECK(display.Contains(r));
    };
    inside(frame);
    frame->ShowScreen(MainFrame::kNewElection);
    Pump(20);
    for (const char* name : {"election.next", "election.home"}) {
        auto* w = Find<wxWindow>(frame, name);
        REQUIRE(w);
        CHECK(w->IsShownOnScreen());
        inside(w);
    }
    Screenshot(frame, "new-720");
    frame->Destroy();
    Pump(5);
}

TEST_CASE("the language menu switches every label between Chinese and English")
{
    Session s;
    auto* button = s.Get<wxButton>("home.new");
    CHECK(button->GetLabel().utf8_string() == "新建评议");
    s.Shot("home");
    s.frame->SwitchLanguage(Language::English);
    CHECK(button->GetLabel() == "New evaluation");
    CHECK(s.Get<wxButton>("election.next")->GetLabel() == "Next >");
    CHECK(s.frame->GetMenuBar()->GetMenuLabelText(0) == "File");
    Pump(10);
    s.Shot("home-en");
    GoTo(s, "home.new", MainFrame::kNewElection);
    s.Shot("new-1-basics-en");
    s.frame->SwitchLanguage(Language::Chinese);
    CHECK(button->GetLabel().utf8_string() == "新建评议");
    CHECK(s.Get<wxButton>("election.next")->GetLabel().utf8_string() == "下一步 >");
}

TEST_CASE("the trustees make the election key through the dialogs: 3 of them, any 2 decrypt")
{
    Meeting& m = TrusteeMeeting();
    // No election key anywhere: the package holds the trustees' commitments.
    CHECK_FALSE(std::filesystem::exists(m.folder / "election-key.pyk"));
    CHECK(std::filesystem::exists(m.folder / "admin-key.pyk"));
    CHECK(Head(m.folder / "code-slips.pdf", 5) == "%PDF-");
    auto pkg = LoadPackage(Read(m.folder / "election.pyp"));
    REQUIRE(pkg.ok());
    CHECK(m.fingerprint == ShortFingerprint(pkg->fingerprint));
    REQUIRE(pkg->trustees.has_value());
    CHECK(pkg->trustees->threshold == 2);
    REQUIRE(pkg->trustees->members.size() == 3);
    for (std::uint32_t i = 0; i < 3; ++i)
        CHECK(pkg->trustees->members[i].name == kTrustees[i]);
    CHECK(VerifyTrusteeSet(*pkg->trustees, pkg->definition, pkg->public_key).ok());
    // Each trustee's key file opens with their own passphrase only.
    for (std::uint32_t i = 1; i <= 3; ++i) {
        const auto key = TrusteeKey(m, i);
        CHECK(app::OpenTrusteeKeyFile(key, SecretBytes::FromString(TrusteePass(i))).ok());
        CHECK_FALSE(app::OpenTrusteeKeyFile(key, SecretBytes::FromString(TrusteePass(i % 3 + 1))).ok());
    }
    CHECK(m.codes.size() == 14);
}

TEST_CASE("the trustees' tally: one trustee alone decrypts nothing, two of three give verified results")
{
    Meeting& m = TrusteeMeeting();
    TempDir out_dir;
    const auto out = out_dir / "results";
    Session s;
    OpenTally(s, m, out);
    auto* tally = s.frame->tally();
    const auto box = ReadBox(m.box).value();
    // The secretary types the device fingerprint from the signed opening form.
    Type(s.Get<wxTextCtrl>("tally.devices"), KeyFingerprint(box.device_public_key));
    Click(s.Get<wxButton>("tally.start"));
    REQUIRE(WaitUntil([&] { return tally->page() == TallyPanel::kTrustees && !tally->busy(); }, 60000));
    CHECK(tally->by_trustees());
    CHECK(s.hooks.errors.empty());
    TrusteeTallyPage* page = tally->trustees();
    const auto pkg = LoadPackage(Read(m.folder / "election.pyp")).value();
    // Before any trustee is asked for a key: each box's device, and that it is on the list.
    {
        CHECK_FALSE(page->trustee_open());
        const std::string fp = KeyFingerprint(box.device_public_key);
        wxString spaced;
        for (char c : fp.substr(0, fp.find('-')))
            spaced += wxString(c) + " ";
        CHECK(page->devices_text().Contains(spaced.Strip(wxString::trailing)));
        CHECK(page->devices_text().Contains(wxString::FromUTF8("✓")));
        CHECK(StateOf(s.Get<CheckList>("tally.checks"), "boxes.registered") == "pass");
        s.Shot("trustees-5a-tally-devices");
    }

    // One trustee in turn: key file, passphrase, what will be decrypted, 实到, confirm.
    auto decrypt = [&](std::uint32_t i, std::uint32_t present_members, bool refused) {
        INFO("trustee " << i);
        s.Get<wxFilePickerCtrl>("trustee_tally.key")->SetPath(wxString::FromUTF8(TrusteeKey(m, i).string()));
        Type(s.Get<wxTextCtrl>("trustee_tally.passphrase"), TrusteePass(i));
        Click(s.Get<wxButton>("trustee_tally.open"));
        REQUIRE(WaitUntil([&] { return page->trustee_open() && !page->busy(); }, 60000));
        CHECK(Says(s.Get<wxStaticText>("trustee_tally.who"), wxString::FromUTF8(kTrustees[i - 1])));
        // The box's device-key fingerprint, large, group by group.
        const std::string fp = KeyFingerprint(box.device_public_key);
        const std::string first_group = fp.substr(0, fp.find('-'));
        wxString spaced;
        for (char c : first_group)
            spaced += wxString(c) + " ";
        CHECK(Says(s.Get<wxStaticText>("trustee_tally.boxes"), spaced.Strip(wxString::trailing)));
        s.Get<wxSpinCtrl>("trustee_tally.present_1")->SetValue(static_cast<int>(present_members));
        s.Get<wxSpinCtrl>("trustee_tally.present_2")->SetValue(static_cast<int>(kVotes[1]));
        if (i == 1) s.Shot("trustees-5-tally-trustee");
        Click(s.Get<wxButton>("trustee_tally.decrypt"));
        if (refused) {
            REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !page->busy(); }, 60000));
            CHECK(s.hooks.errors.back().error.code == "tally.present");
            CHECK(s.hooks.errors.back().message.Contains(wxString::FromUTF8(kTrustees[i - 1])));
            CHECK_FALSE(std::filesystem::exists(app::PartialPath(out, i)));
            s.hooks.errors.clear();
            Click(s.Get<wxButton>("trustee_tally.close"));
            REQUIRE(WaitUntil([&] { return !page->trustee_open(); }));
            return;
        }
        REQUIRE(WaitUntil([&] { return !page->trustee_open() && !page->busy(); }, 60000));
        CHECK(s.hooks.errors.empty());
        CHECK(std::filesystem::exists(app::PartialPath(out, i)));
    };
    // A wrong passphrase is refused, nothing is opened.
    s.Get<wxFilePickerCtrl>("trustee_tally.key")->SetPath(wxString::FromUTF8(TrusteeKey(m, 1).string()));
    Type(s.Get<wxTextCtrl>("trustee_tally.passphrase"), TrusteePass(2));
    Click(s.Get<wxButton>("trustee_tally.open"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !page->busy(); }, 60000));
    CHECK(s.hooks.errors.back().error.code == "keyfile.passphrase");
    CHECK(s.hooks.errors.back().message.Contains(wxString::FromUTF8(kTrustees[0])));
    CHECK_FALSE(page->trustee_open());
    s.hooks.errors.clear();

    decrypt(1, kVotes[0] - 1, /*refused=*/true);  // more 党员 ballots than 党员 present
    decrypt(1, kVotes[0], false);
    // 王强 alone: the secretary cannot combine one part into results.
    Type(s.Get<wxTextCtrl>("trustee_tally.admin_passphrase"), kPassphrase);
    Click(s.Get<wxButton>("trustee_tally.combine"));
    REQUIRE(WaitUntil([&] { return !s.hooks.errors.empty() && !page->busy(); }, 60000));
    CHECK(s.hooks.errors.back().error.code == "tally.too_few_trustees");
    CHECK_FALSE(tally->has_results());
    CHECK_FALSE(std::filesystem::exists(out / "results.json"));
    s.hooks.errors.clear();

    // 赵刚 too (李梅 is absent): the results.
    decrypt(3, kVotes[0], false);
    Type(s.Get<wxTextCtrl>("trustee_tally.admin_passphrase"), kPassphrase);
    Click(s.Get<wxButton>("trustee_tally.combine"));
    REQUIRE(WaitUntil([&] { return tally->has_results() && !page->busy(); }, 60000));
    CHECK(s.hooks.errors.empty());
    CHECK(tally->page() == TallyPanel::kResults);
    for (const char* f : {"results.json", "results.xlsx", "tally-sheet.pdf", "notification-letters.pdf"})
        CHECK(std::filesystem::exists(out / f));
    Audit audit = VerifyElection(Read(m.folder / "election.pyp"), {m.box});
    VerifyResults(audit, Read(out / "results.json"));
    CHECK(audit.report.ok());
    const auto results = ParseResults(Read(out / "results.json"), pkg).value();
    CHECK(results.TotalBallots() == kVotes[0] + kVotes[1]);
    REQUIRE(results.partials.size() == 2);
    CHECK(results.partials[0].trustee == 1);
    CHECK(results.partials[1].trustee == 3);
    // The grid shows the counts the voters cast.
    auto* grid = s.Get<wxGrid>("tally.grid");
    REQUIRE(grid->GetNumberRows() == static_cast<int>(kMembers));
    for (std::uint32_t i = 0; i < kMembers; ++i) {
        const std::uint64_t c0 = m.expected[0][i][0] + m.expected[1][i][0];
        CHECK(Cell(grid, static_cast<int>(i), 2).rfind(std::to_string(c0) + " (", 0) == 0);
    }
}

TEST_CASE("the trustees' ceremony goes on where it stopped when the program was closed half-way")
{
    TempDir dir;
    const auto folder = dir / "evaluation";
    const auto stick = dir / "stick-1";
    std::filesystem::create_directories(stick);
    {
        Session s;
        ToCeremony(s, folder);
        CeremonyPage* ceremony = s.frame->election()->ceremony();
        s.Get<wxDirPickerCtrl>("ceremony.stick")->SetPath(wxString::FromUTF8(stick.string()));
        Type(s.Get<wxTextCtrl>("ceremony.passphrase"), TrusteePass(1));
        Type(s.Get<wxTextCtrl>("ceremony.passphrase2"), TrusteePass(1));
        Click(s.Get<wxButton>("ceremony.go"));
        REQUIRE(WaitUntil([&] { return !ceremony->busy() && ceremony->rounds_done()[0] == 1; }, 60000));
        CHECK(s.hooks.errors.empty());
    }  // the program is closed
    const Bytes setup = Read(folder / "ceremony" / "ceremony.json");
    Session s;
    ToCeremony(s, folder);
    CeremonyPage* ceremony = s.frame->election()->ceremony();
    CHECK(s.hooks.errors.empty());
    CHECK(ceremony->rounds_done() == std::vector<int>{1, 0, 0});
    REQUIRE(ceremony->turn().has_value());
    CHECK(ceremony->turn()->round == 1);
    CHECK(ceremony->turn()->trustee == 2);
    CHECK(Says(s.Get<wxStaticText>("ceremony.turn"), wxString::FromUTF8(kTrustees[1])));
    CHECK(Says(s.Get<wxStaticText>("ceremony.status"), wxString::FromUTF8("继续")));
    // The same ceremony, not a new one over the trustee's finished round.
    CHECK(Read(folder / "ceremony" / "ceremony.json") == setup);
}

}  // namespace pingyi::admin::test
