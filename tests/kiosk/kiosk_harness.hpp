// Drives the real kiosk window with wxUIActionSimulator (real X events through Xvfb) and
// reads the ballot box file afterwards. Events are not processed synchronously: every
// action is followed by WaitUntil (docs/design.md §5).
#pragma once

#include <doctest/doctest.h>

#include <wx/app.h>
#include <wx/uiaction.h>
#include <wx/utils.h>
#include <wx/weakref.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/poll.hpp"
#include "core/ballot_box.hpp"
#include "core/clock.hpp"
#include "core/package.hpp"
#include "crypto/keyfile.hpp"
#include "crypto/single_decrypt.hpp"
#include "kiosk/ballot_grid.hpp"
#include "kiosk/kiosk_frame.hpp"
#include "kiosk/voter_pages.hpp"
#include "test_support.hpp"

namespace pingyi::kiosk::test {

using pingyi::test::TempDir;
using namespace std::chrono_literals;

inline constexpr std::string_view kPin = "135790";
inline constexpr std::string_view kPassphrase = "pass";
// Well-formed, but not a code of the election.
inline constexpr std::string_view kWrongCode = "2345-6789-ABCD-EFGH";

using pingyi::test::Unwrap;

// Processes events until `done` holds or `ms` pass; true if it holds.
inline bool WaitUntil(const std::function<bool()>& done, int ms = 20000)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        wxTheApp->ProcessPendingEvents();
        wxYield();
        if (done()) return true;
        wxMilliSleep(2);
    }
    wxYield();
    return done();
}

// Lets pending events run for a while (for "nothing happened" checks).
inline void Settle(int ms = 150)
{
    WaitUntil([] { return false; }, ms);
}

struct Election {
    CreatedElection created;
    Bytes package_file;

    [[nodiscard]] const ElectionPackage& package() const { return created.package; }
    // The n-th code of a category for kiosk 1, as printed on the slip.
    [[nodiscard]] std::string Code(std::size_t n, std::uint32_t category = 0) const
    {
        for (const auto& c : created.codes)
            if (c.category == category && c.kiosk == 1 && n-- == 0) return c.code;
        FAIL("no such code");
        return {};
    }
};

inline Election MakeElection(std::uint32_t members, std::uint32_t codes_per_category = 6,
                             std::uint32_t min_group_size = 0)
{
    DeterministicRng rng(AsBytes("pingyi/test/kiosk-gui/" + std::to_string(members)));
    ElectionDefinition def = pingyi::test::SmallElection(members);
    for (auto& c : def.categories)
        c.codes = codes_per_category;
    if (min_group_size != 0) def.min_group_size = min_group_size;
    auto created = Unwrap(CreateElection(def, kPassphrase, rng, pingyi::test::kFastKdf));
    Bytes file = created.package.Serialize();
    return {std::move(created), std::move(file)};
}

struct HarnessOptions {
    std::uint32_t members = 6;
    bool open_box = true;  // a box already open (the kiosk resumes it); else setup
    bool lockdown = true;  // full screen and the keyboard grab, like the real kiosk
    const Clock* clock = nullptr;
    SessionSettings session = {};
    Language language = Language::Chinese;
    bool high_contrast = false;
    bool larger_text = false;
    std::uint32_t min_group_size = 0;  // 0: the election's default
};

class Harness {
  public:
    explicit Harness(HarnessOptions options = {})
        : m_options(options), m_election(MakeElection(options.members, 6, options.min_group_size))
    {
        m_data = m_dir / "data";
        m_usb = m_dir / "usb";
        std::filesystem::create_directories(m_data);
        std::filesystem::create_directories(m_usb);
        m_package_path = m_dir / "election.pyp";
        {
            std::FILE* f = std::fopen(m_package_path.string().c_str(), "wb");
            REQUIRE(f);
            REQUIRE(std::fwrite(m_election.package_file.data(), 1, m_election.package_file.size(), f) ==
                    m_election.package_file.size());
            std::fclose(f);
        }
        if (options.open_box) {
            DeterministicRng rng(AsBytes("pingyi/test/kiosk-gui/box"));
            auto box =
                Unwrap(BallotBox::Create(m_data / app::BoxFileName(m_election.package(), 1), m_election.package(),
                                         /*kiosk=*/1, kPin, rng, pingyi::test::kFastKdf));
        }
        KioskConfig config;
        config.data_dir = m_data;
        config.export_dir = m_usb;
        config.clock = options.clock;
        config.session = options.session;
        config.device_key_kdf = pingyi::test::kFastKdf;
        config.lockdown = options.lockdown;
        config.language = options.language;
        config.high_contrast = options.high_contrast;
        config.larger_text = options.larger_text;
        // Tests advance a manual clock and tick by hand; the real timer ticks anyway.
        config.tick = 100ms;
        config.on_exit = [this] { m_exited = true; };
        m_frame = new KioskFrame(config);
        REQUIRE(WaitUntil([this] { return m_frame->IsShown(); }));
        Settle(100);
        m_sim = std::make_unique<wxUIActionSimulator>();
    }

    ~Harness()
    {
        m_sim.reset();
        if (m_frame) {
            m_frame->Destroy();
            WaitUntil([this] { return !m_frame; }, 3000);
        }
    }

    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    [[nodiscard]] KioskFrame& frame() { return *m_frame.get(); }
    [[nodiscard]] bool frame_alive() const { return m_frame.get() != nullptr; }
    [[nodiscard]] bool exited() const { return m_exited; }
    [[nodiscard]] const Election& election() const { return m_election; }
    [[nodiscard]] const std::filesystem::path& package_path() const { return m_package_path; }
    [[nodiscard]] const std::filesystem::path& data_dir() const { return m_data; }
    [[nodiscard]] const std::filesystem::path& usb_dir() const { return m_usb; }
    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir.path(); }
    [[nodiscard]] std::filesystem::path box_path() const { return m_data / app::BoxFileName(m_election.package(), 1); }
    [[nodiscard]] PageId page() const { return m_frame->page(); }

    bool WaitPage(PageId page, int ms = 5000)
    {
        return WaitUntil([&] { return m_frame && m_frame->page() == page; }, ms);
    }

    // A widget of the current screen by its name (SetName in kiosk/).
    wxWindow* Find(const wxString& name)
    {
        wxWindow* w = wxWindow::FindWindowByName(name, m_frame->current_page());
        REQUIRE_MESSAGE(
            w, ("no widget named " + name.ToStdString() + " on screen " + std::string(PageName(m_frame->page()))));
        return w;
    }

    // A new screen ignores presses for a moment (SessionSettings::screen_settle): a test
    // that means to press something waits it out, as a person naturally does.
    void WaitSettled()
    {
        REQUIRE(WaitUntil([this] { return m_frame && m_frame->input_settled(); }));
    }

    void ClickAt(wxPoint screen)
    {
        WaitSettled();
        m_sim->MouseMove(screen);
        Settle(15);
        m_sim->MouseClick();
        Settle(15);
    }

    void Click(wxWindow* w)
    {
        REQUIRE(WaitUntil([w] { return w->IsShownOnScreen(); }));
        // The place is read once the screen has settled: a screen laid out again just after it
        // appeared (the receipt, once its QR code is drawn) moves its buttons.
        WaitSettled();
        Settle(15);
        const wxRect r = w->GetScreenRect();
        ClickAt(wxPoint(r.x + r.width / 2, r.y + r.height / 2));
    }

    void Click(const wxString& name) { Click(Find(name)); }

    // A quick double-click (two clicks about 150 ms apart, as wxUIActionSimulator makes them)
    // in the middle of a widget.
    void DoubleClick(const wxString& name)
    {
        const wxRect r = Find(name)->GetScreenRect();
        WaitSettled();
        m_sim->MouseMove(wxPoint(r.x + r.width / 2, r.y + r.height / 2));
        Settle(20);
        m_sim->MouseDblClick();
    }

    // Focuses a field and types into it, as a keyboard or a USB scanner would.
    void TypeInto(const wxString& name, const std::string& text, bool enter = false)
    {
        wxWindow* field = Find(name);
        field->SetFocus();
        REQUIRE_MESSAGE(WaitUntil([field] { return wxWindow::FindFocus() == field; }),
                        "cannot focus " << name.utf8_string() << " on " << PageName(m_frame->page()) << "; focus: "
                                        << (wxWindow::FindFocus() ? wxWindow::FindFocus()->GetName().utf8_string()
                                                                  : std::string("none")));
        m_sim->Text(text.c_str());
        Settle(10);
        if (enter) m_sim->Char(WXK_RETURN);
        Settle(10);
    }

    void Key(int key, int modifiers = wxMOD_NONE)
    {
        WaitSettled();
        m_sim->Char(key, modifiers);
        Settle(20);
    }

    wxUIActionSimulator& sim() { return *m_sim; }

    // The resume screen: the PIN, then the welcome screen.
    void Unlock()
    {
        REQUIRE(WaitPage(PageId::Unlock));
        TypeInto("unlock-pin", std::string(kPin), /*enter=*/true);
        REQUIRE(WaitPage(PageId::Welcome));
    }

    void EnterCode(const std::string& code)
    {
        REQUIRE(page() == PageId::Welcome);
        TypeInto("code", code, /*enter=*/true);
    }

    [[nodiscard]] BallotGrid& grid() { return *m_frame->ballot_page()->grid(); }

    // From the welcome screen: enters `code`, rates every member `option` by tapping, and
    // goes on to the review.
    void VoteToReview(const std::string& code, std::uint32_t option)
    {
        EnterCode(code);
        REQUIRE(WaitPage(PageId::Ballot));
        for (std::uint32_t m = 0; m < m_frame->session()->member_count(); ++m)
            ChooseAndWait(m, option);
        Click("next");
        REQUIRE(WaitPage(PageId::Review));
    }

    // Taps option `option` of member `member` on the ballot (scrolling to it first).
    void Choose(std::uint32_t member, std::uint32_t option)
    {
        BallotGrid& g = grid();
        g.ScrollToMember(member);
        Settle(20);
        const wxRect cell = g.CellRect(member, option);
        ClickAt(g.ClientToScreen(wxPoint(cell.x + cell.width / 2, cell.y + cell.height / 2)));
    }

    // Chooses and waits until the session has it.
    void ChooseAndWait(std::uint32_t member, std::uint32_t option)
    {
        Choose(member, option);
        const bool chosen = WaitUntil([&] { return m_frame->session()->choice(member) == option; });
        if (!chosen) {
            const wxRect cell = grid().CellRect(member, option);
            const wxRect screen = grid().GetScreenRect();
            MESSAGE("cell " << cell.x << "," << cell.y << " " << cell.width << "x" << cell.height << " in grid at "
                            << screen.x << "," << screen.y << " " << screen.width << "x" << screen.height
                            << "; message: " << m_frame->message().utf8_string());
        }
        REQUIRE_MESSAGE(chosen, "member " << member << " option " << option);
    }

    [[nodiscard]] BoxContents ReadTheBox() const { return Unwrap(ReadBox(box_path())); }

    // The choices of the ballots in the box, decrypted with the election key (as
    // the admin's tally would, here per ballot to check the kiosk stored what was chosen).
    [[nodiscard]] std::vector<std::vector<std::uint32_t>> DecryptBallots() const
    {
        const ElectionPackage& pkg = m_election.package();
        const GridShape shape = pkg.Shape();
        const auto key = Unwrap(OpenElectionKey(m_election.created.election_key_file, kPassphrase));
        const Point g = pkg.group().Generator();
        std::vector<std::vector<std::uint32_t>> out;
        for (const BallotRow& r : ReadTheBox().ballots) {
            const ByteView body(r.body);
            const auto grid = Unwrap(EncryptedGrid::Decode(pkg.group(), shape, body.subspan(4)));
            std::vector<std::uint32_t> choices;
            for (std::uint32_t i = 0; i < shape.rows; ++i) {
                std::optional<std::uint32_t> chosen;
                for (std::uint32_t j = 0; j < shape.cols; ++j)
                    if (DecryptToPoint(key, grid.cells[i * shape.cols + j]) == g) chosen = j;
                REQUIRE(chosen);
                choices.push_back(*chosen);
            }
            out.push_back(std::move(choices));
        }
        return out;
    }

    [[nodiscard]] std::size_t UsedCodes() const
    {
        std::size_t used = 0;
        for (const auto& [hash, cu] : ReadTheBox().codes)
            used += cu.second ? 1 : 0;
        return used;
    }

    [[nodiscard]] std::size_t BallotRecords() const { return ReadTheBox().ballots.size(); }

  private:
    HarnessOptions m_options;
    TempDir m_dir;
    Election m_election;
    std::filesystem::path m_data, m_usb, m_package_path;
    wxWeakRef<KioskFrame> m_frame;
    std::unique_ptr<wxUIActionSimulator> m_sim;
    bool m_exited = false;
};

}  // namespace pingyi::kiosk::test
