// Screenshots of every kiosk screen, in Chinese and English, normal and high contrast (and
// two in larger text), for docs/. Runs only when PINGYI_SCREENSHOT_DIR is set
// (scripts/kiosk-screenshots.sh); ctest does not register it.
#include <wx/bitmap.h>
#include <wx/dcclient.h>
#include <wx/dcmemory.h>
#include <wx/display.h>
#include <wx/textctrl.h>

#include <cstdlib>

#include "kiosk_harness.hpp"

namespace pingyi::kiosk::test {
namespace {

class Shooter {
  public:
    Shooter(std::filesystem::path dir, std::string suffix) : m_dir(std::move(dir)), m_suffix(std::move(suffix)) {}

    void Shot(Harness& h, const std::string& screen)
    {
        Settle(250);
        h.frame().Refresh();
        h.frame().Update();
        Settle(100);
        // The frame is full screen: its window DC is the screen (wxScreenDC returns stale
        // pixels under Xvfb with GTK 3).
        const wxRect area = wxDisplay(0u).GetGeometry();
        wxBitmap bitmap(area.width, area.height, 24);
        {
            wxWindowDC window_dc(&h.frame());
            wxMemoryDC memory(bitmap);
            memory.Blit(0, 0, area.width, area.height, &window_dc, 0, 0);
        }
        const auto file = m_dir / ("kiosk-" + screen + "-" + m_suffix + ".png");
        REQUIRE(bitmap.SaveFile(wxString::FromUTF8(file.string()), wxBITMAP_TYPE_PNG));
        MESSAGE("wrote " << file.string());
    }

  private:
    std::filesystem::path m_dir;
    std::string m_suffix;
};

void ShootAll(const std::filesystem::path& dir, Language language, bool high_contrast, bool larger_text)
{
    std::string suffix = language == Language::Chinese ? "zh" : "en";
    if (high_contrast) suffix += "-hc";
    if (larger_text) suffix += "-large";
    Shooter shoot(dir, suffix);
    const bool full = !larger_text;  // larger text: the voter's main screens only

    if (full) {
        // Setup, with a checked package and the PIN typed.
        Harness h({.open_box = false, .language = language, .high_contrast = high_contrast});
        h.TypeInto("package-path", h.package_path().string(), /*enter=*/true);
        REQUIRE(WaitUntil([&] { return !h.frame().message().empty(); }));
        h.TypeInto("pin", std::string(kPin));
        h.TypeInto("pin2", std::string(kPin));
        shoot.Shot(h, "setup");
        // Two different PINs: said beside the PIN fields, the package's check stays.
        h.TypeInto("pin2", "9");
        h.Click("open-poll");
        REQUIRE(WaitUntil([&] { return !dynamic_cast<MessageBar*>(h.Find("pin-message"))->text().empty(); }));
        shoot.Shot(h, "setup-pin-mismatch");
    }

    ManualClock clock;
    Harness h({.members = 12,
               .clock = &clock,
               .language = language,
               .high_contrast = high_contrast,
               .larger_text = larger_text});
    REQUIRE(h.WaitPage(PageId::Unlock));
    if (full) shoot.Shot(h, "unlock");
    h.Unlock();
    if (full) {
        // The tellers' check mode, turned on from the operator menu (docs/kiosk.md).
        h.Key(WXK_F12, wxMOD_CONTROL | wxMOD_SHIFT);
        REQUIRE(h.WaitPage(PageId::OperatorPin));
        h.TypeInto("operator-pin", std::string(kPin), /*enter=*/true);
        REQUIRE(h.WaitPage(PageId::OperatorMenu));
        h.Click("check-mode");
        REQUIRE(WaitUntil([&] { return h.frame().session()->check_mode(); }));
        shoot.Shot(h, "operator-check-mode");
        h.Click("back-to-voting");
        REQUIRE(h.WaitPage(PageId::Welcome));
    }
    shoot.Shot(h, "welcome");
    if (full) {
        h.EnterCode(std::string(kWrongCode));
        REQUIRE(WaitUntil([&] { return !h.frame().message().empty(); }));
        shoot.Shot(h, "welcome-wrong-code");
        // Two more: the wait, counted down under the reason.
        h.EnterCode(std::string(kWrongCode));
        Settle(50);
        h.EnterCode(std::string(kWrongCode));
        REQUIRE(WaitUntil([&] { return !h.Find("code")->IsEnabled(); }));
        shoot.Shot(h, "welcome-wait");
        clock.Advance(6s);
        h.frame().TickNow();
        REQUIRE(WaitUntil([&] { return h.Find("code")->IsEnabled(); }));
        dynamic_cast<wxTextCtrl*>(h.Find("code"))->Clear();
    }
    h.TypeInto("code", h.election().Code(0));
    if (full) shoot.Shot(h, "welcome-code");
    h.Key(WXK_RETURN);
    REQUIRE(h.WaitPage(PageId::Ballot));
    // Four of twelve may be rated excellent: a fifth is refused.
    const std::vector<std::uint32_t> choices = {0, 1, 0, 1, 0, 2, 0, 1, 1, 3, 1, 1};
    for (std::uint32_t m = 0; m < 7; ++m)
        h.ChooseAndWait(m, choices[m]);
    h.grid().ScrollToMember(0);
    shoot.Shot(h, "ballot");
    if (!full) return;
    h.Choose(7, 0);
    REQUIRE(WaitUntil([&] { return !h.frame().message().empty(); }));
    shoot.Shot(h, "ballot-quota");
    h.Click("next");
    REQUIRE(WaitUntil([&] { return h.grid().highlighting_unrated(); }));
    shoot.Shot(h, "ballot-unrated");
    for (std::uint32_t m = 7; m < choices.size(); ++m)
        h.ChooseAndWait(m, choices[m]);
    h.Click("next");
    REQUIRE(h.WaitPage(PageId::Review));
    shoot.Shot(h, "review");

    clock.Advance(105s);  // 12 members: the idle limit is 132 s, the warning from 102 s
    h.frame().TickNow();
    REQUIRE(h.WaitPage(PageId::Warning));
    shoot.Shot(h, "warning");
    h.Click("continue");
    REQUIRE(h.WaitPage(PageId::Review));

    h.frame().ShowPageForScreenshot(PageId::Busy);
    shoot.Shot(h, "busy");
    h.frame().ShowPageForScreenshot(PageId::Review);
    h.Click("confirm");
    REQUIRE(h.WaitPage(PageId::Commit, 20000));
    shoot.Shot(h, "commit");
    clock.Advance(1s);  // the commit screen has been seen (the session's settle runs on this clock)
    h.Click("check");
    REQUIRE(h.WaitPage(PageId::Checked, 20000));
    shoot.Shot(h, "checked");
    clock.Advance(1s);
    h.Click("checked-back");
    REQUIRE(h.WaitPage(PageId::Ballot));
    h.Click("next");
    REQUIRE(h.WaitPage(PageId::Review));
    clock.Advance(1s);
    h.Click("confirm");
    REQUIRE(h.WaitPage(PageId::Commit, 20000));
    clock.Advance(1s);
    h.Click("cast");
    REQUIRE(h.WaitPage(PageId::Receipt, 20000));
    shoot.Shot(h, "receipt");
    h.Click("done");
    REQUIRE(h.WaitPage(PageId::Welcome));

    h.EnterCode(h.election().Code(1));
    REQUIRE(h.WaitPage(PageId::Ballot));
    h.Click("cancel");
    REQUIRE(h.WaitPage(PageId::Confirm));
    shoot.Shot(h, "confirm-give-up");
    h.Click("confirm-back");
    REQUIRE(h.WaitPage(PageId::Ballot));
    h.Click("cancel");
    REQUIRE(h.WaitPage(PageId::Confirm));
    h.Click("confirm-yes");
    REQUIRE(h.WaitPage(PageId::Welcome));

    h.Key(WXK_F12, wxMOD_CONTROL | wxMOD_SHIFT);
    REQUIRE(h.WaitPage(PageId::OperatorPin));
    shoot.Shot(h, "operator-pin");
    if (full) {
        h.TypeInto("operator-pin", "999999", /*enter=*/true);
        REQUIRE(WaitUntil([&] { return h.frame().message().length() > 0 && h.Find("operator-ok")->IsEnabled(); }));
        shoot.Shot(h, "operator-pin-wrong");
    }
    h.TypeInto("operator-pin", std::string(kPin), /*enter=*/true);
    REQUIRE(h.WaitPage(PageId::OperatorMenu));
    shoot.Shot(h, "operator-menu");
    h.Click("save-opening-form");
    REQUIRE(WaitUntil([&] { return !h.frame().message().empty(); }));
    shoot.Shot(h, "operator-opening-form");
    h.Click("close-poll");
    REQUIRE(h.WaitPage(PageId::Confirm));
    shoot.Shot(h, "operator-close");
    h.Click("confirm-yes");
    REQUIRE(WaitUntil([&] { return h.page() == PageId::OperatorMenu && h.frame().box()->closed(); }));
    h.Click("export");
    REQUIRE(WaitUntil([&] { return !h.frame().message().empty(); }));
    shoot.Shot(h, "operator-closed");
    h.Click("save-closing-form");
    REQUIRE(WaitUntil([&] { return h.frame().message().Contains("PDF") || h.frame().message().Contains(".pdf"); }));
    shoot.Shot(h, "operator-closing-form");
    h.Click("back-to-voting");
    REQUIRE(h.WaitPage(PageId::Welcome));
    shoot.Shot(h, "welcome-closed");
}

}  // namespace

TEST_CASE("screenshots of every screen")
{
    const char* dir = std::getenv("PINGYI_SCREENSHOT_DIR");
    if (!dir || !*dir) {
        MESSAGE("PINGYI_SCREENSHOT_DIR is not set: no screenshots taken");
        return;
    }
    std::filesystem::create_directories(dir);
    for (const Language language : {Language::Chinese, Language::English})
        for (const bool high_contrast : {false, true})
            ShootAll(dir, language, high_contrast, /*larger_text=*/false);
    ShootAll(dir, Language::Chinese, /*high_contrast=*/false, /*larger_text=*/true);
    ShootAll(dir, Language::English, /*high_contrast=*/true, /*larger_text=*/true);
}

}  // namespace pingyi::kiosk::test
