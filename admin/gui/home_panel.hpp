// The start screen: the three jobs of the admin tool, in the order a secretary meets them.
#pragma once

#include <wx/wx.h>

#include <functional>

namespace pingyi::admin {

class HomePanel : public wxPanel {
  public:
    enum Job { kNewElection, kTally, kVerify };
    HomePanel(wxWindow* parent, std::function<void(Job)> go);
    void ApplyLabels();

  private:
    std::function<void(Job)> m_go;
    wxStaticText* m_title;
    wxStaticText* m_subtitle;
    wxButton* m_buttons[3];
    wxStaticText* m_texts[3];
    wxStaticText* m_footer;
};

}  // namespace pingyi::admin
