// The admin tool's window: a menu (language, home, quit) over the four screens.
#pragma once

#include <wx/wx.h>

#include <functional>

#include "admin/gui/i18n.hpp"

class wxSimplebook;

namespace pingyi::admin {

class ElectionPanel;
class HomePanel;
class TallyPanel;
class VerifyPanel;

class MainFrame : public wxFrame {
  public:
    enum Screen { kHome, kNewElection, kTally, kVerify };

    // `on_language` is told when the user picks another language (the app saves it).
    explicit MainFrame(std::function<void(Language)> on_language = {});
    void ShowScreen(Screen screen);
    [[nodiscard]] Screen screen() const;
    // Installs the translations and re-applies every label.
    void SwitchLanguage(Language lang);

    HomePanel* home() { return m_home; }
    ElectionPanel* election() { return m_election; }
    TallyPanel* tally() { return m_tally; }
    VerifyPanel* verify() { return m_verify; }

  private:
    void BuildMenu();
    // The first size: 1180 x 820 at most, within the screen's working area.
    void FitScreen();
    void ApplyLabels();

    std::function<void(Language)> m_on_language;
    wxSimplebook* m_book;
    HomePanel* m_home;
    ElectionPanel* m_election;
    TallyPanel* m_tally;
    VerifyPanel* m_verify;
};

}  // namespace pingyi::admin
