#include "kiosk/voter_pages.hpp"

#include <wx/dcbuffer.h>
#include <wx/dcclient.h>
#include <wx/dcgraph.h>
#include <wx/image.h>
#include <wx/sizer.h>

#include <wx/statbmp.h>
#include <wx/wrapsizer.h>
#include <vector>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/package.hpp"

namespace pingyi::kiosk {
namespace {

// A filled circle with a check mark, drawn (fonts may lack ✓).
class CheckMark final : public wxWindow {
  public:
    CheckMark(wxWindow* parent, const Theme& theme)
        : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxSize(theme.Px(110), theme.Px(110)), wxBORDER_NONE),
          m_theme(theme)
    {
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
            wxAutoBufferedPaintDC paint(this);
            paint.SetBackground(wxBrush(GetParent()->GetBackgroundColour()));
            paint.Clear();
            wxGCDC dc(paint);
            const wxSize size = GetClientSize();
            const int d = std::min(size.x, size.y) - 4;
            const wxColour ring = m_theme.colours().success_text;
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(ring));
            dc.DrawEllipse(2, 2, d, d);
            dc.SetPen(wxPen(m_theme.colours().background, std::max(3, d / 11)));
            const wxPoint a(d * 27 / 100, d * 52 / 100), b(d * 44 / 100, d * 69 / 100), c(d * 74 / 100, d * 35 / 100);
            dc.DrawLine(a, b);
            dc.DrawLine(b, c);
        });
    }
    bool AcceptsFocus() const override { return false; }

  private:
    const Theme& m_theme;
};

bool IsCodeCharacter(wxUniChar c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

wxString GroupCode(const wxString& value, long* caret)
{
    // What follows a '/' is a scanned slip's fingerprint: left as it is.
    const int slash = value.Find('/');
    const wxString head = slash == wxNOT_FOUND ? value : value.Left(static_cast<size_t>(slash));
    const wxString tail = slash == wxNOT_FOUND ? wxString() : value.Mid(static_cast<size_t>(slash));
    wxString bare;
    long bare_before_caret = 0;
    for (size_t i = 0; i < head.length(); ++i) {
        const wxUniChar c = head[i];
        if (c == '-' || c == ' ') continue;
        if (!IsCodeCharacter(c)) {
            // Not a code being typed (a stray character): only upper case, as typed.
            return value.Upper();
        }
        bare += wxString(c).Upper();
        if (caret && static_cast<long>(i) < *caret) ++bare_before_caret;
    }
    wxString grouped;
    for (size_t i = 0; i < bare.length(); ++i) {
        if (i > 0 && i % 4 == 0) grouped += '-';
        grouped += bare[i];
    }
    if (caret) {
        if (*caret > static_cast<long>(head.length()))
            *caret += static_cast<long>(grouped.length()) - static_cast<long>(head.length());
        else
            *caret = bare_before_caret + (bare_before_caret > 0 ? (bare_before_caret - 1) / 4 : 0);
    }
    return grouped + tail.Upper();
}

namespace {

wxString OptionHeading(const ElectionDefinition& def, std::uint32_t option, Language language)
{
    const wxString gloss = OptionGloss(def.options[option], language);
    return gloss.empty() ? U8(def.options[option]) : gloss + " " + U8(def.options[option]);
}

}  // namespace

// --- WelcomePage ---

WelcomePage::WelcomePage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language,
                         bool poll_closed, Callbacks callbacks)
    : Screen(parent, theme, "welcome"), m_callbacks(std::move(callbacks))
{
    TopBar bar = AddTopBar(info.title);
    bar.sizer->Insert(0,
                      new CornerHotspot(bar.panel, theme,
                                        [this] {
                                            if (m_callbacks.on_corner_tap) m_callbacks.on_corner_tap();
                                        }),
                      0, wxALIGN_TOP);
    // The language switch names the other language in that language.
    auto* lang = new BigButton(bar.panel, theme,
                               language == Language::Chinese ? wxString("English") : wxString::FromUTF8("中文"));
    lang->SetName("language");
    auto* larger = new BigButton(bar.panel, theme, _("Larger text"));
    larger->SetName("larger-text");
    larger->SetSelected(theme.larger_text());
    auto* contrast = new BigButton(bar.panel, theme, _("High contrast"));
    contrast->SetName("high-contrast");
    contrast->SetSelected(theme.high_contrast());
    for (BigButton* b : {larger, contrast, lang})
        bar.sizer->Add(b, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(8));
    bar.sizer->AddSpacer(theme.Px(8));
    lang->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_language) m_callbacks.on_language();
    });
    larger->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_larger_text) m_callbacks.on_larger_text();
    });
    contrast->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_contrast) m_callbacks.on_contrast();
    });
    AddTestBanner(info.test_mode);

    const int wrap = ContentWidth();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer(2);
    if (poll_closed) {
        body->Add(MakeText(this, theme, _("Voting has ended on this machine."), TextSize::Title, true, wrap), 0,
                  wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
        body->Add(MakeText(this, theme, _("Thank you. Please ask the staff if you still have a code."), TextSize::Body,
                           false, wrap),
                  0, wxALIGN_CENTER_HORIZONTAL);
        m_message = new MessageBar(this, theme, wrap, 1);
        body->Add(m_message, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, theme.Px(16));
    } else {
        auto* heading = MakeText(this, theme, _("Enter or scan your voting code"), TextSize::Title, true, wrap);
        heading->SetName("heading");
        body->Add(heading, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(10));
        body->Add(MakeText(this, theme,
                           _("The code is on the slip you drew: 16 letters and digits. Scan its QR code, type it, or "
                             "tap the keys below."),
                           TextSize::Body, false, wrap, theme.colours().muted),
                  0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(theme.larger_text() ? 8 : 24));

        auto* row = new wxBoxSizer(wxHORIZONTAL);
        m_code = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                wxTE_PROCESS_ENTER | wxTE_CENTRE);
        m_code->SetName("code");
        m_code->SetFont(theme.CodeFont(TextSize::Title));
        m_code->SetMaxLength(100);  // a scanned slip: code, '/', the 64-digit fingerprint
        m_code->SetBackgroundColour(theme.high_contrast() ? *wxBLACK : *wxWHITE);
        m_code->SetForegroundColour(theme.colours().text);
        wxClientDC measure(this);
        measure.SetFont(m_code->GetFont());
        const int code_width = measure.GetTextExtent("MMMM-MMMM-MMMM-MMMM").x + theme.Px(80);
        m_code->SetMinSize(wxSize(std::min(code_width, wrap * 3 / 4), theme.TouchHeight() + theme.Px(8)));
        row->Add(m_code, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(16));
        m_start = new BigButton(this, theme, _("Start"), ButtonKind::Primary);
        m_start->SetName("start");
        m_start->SetMinWidth(theme.Px(200));
        row->Add(m_start, 0, wxALIGN_CENTER_VERTICAL);
        body->Add(row, 0, wxALIGN_CENTER_HORIZONTAL);

        // Right under the field, where the voter is looking.
        m_message = new MessageBar(this, theme, std::min(wrap, theme.Px(1000)), 1);
        body->Add(m_message, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, theme.Px(8));

        // The on-screen keyboard, for touch screens without a scanner: only the characters a
        // code can have (kCodeAlphabet: no 0/O, 1/I/L), so a look-alike cannot be typed.
        // Larger text leaves less room: the keys stay as tall (their labels are short).
        const int gap = theme.larger_text() ? theme.Px(4) : theme.Px(6);
        auto* keyboard = new wxFlexGridSizer(/*cols=*/8, gap, gap);
        std::vector<wxString> keys;
        for (char c : kCodeAlphabet)
            keys.emplace_back(c);
        keys.push_back(wxString());  // delete
        for (const wxString& key : keys) {
            auto* button = new BigButton(this, theme, key.empty() ? _("Delete") : key);
            button->SetName(key.empty() ? wxString("key-delete") : "key-" + key);
            button->SetMinWidth(theme.Px(84));
            button->SetKeyHeight(theme.Px(56));
            keyboard->Add(button, 0, wxEXPAND);
            button->Bind(wxEVT_BUTTON, [this, key](wxCommandEvent&) { OnKey(key); });
            m_keys.push_back(button);
        }
        body->Add(keyboard, 0, wxALIGN_CENTER_HORIZONTAL | wxTOP, theme.Px(8));

        m_code->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { Submit(); });
        m_start->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Submit(); });
        // Shown as the slip prints it, upper case in groups of four, as it is typed.
        m_code->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
            const wxString value = m_code->GetValue();
            // The code is being corrected: the last message and the mark are old news.
            if (!m_waiting && m_message->kind() != MessageKind::None) m_message->Clear();
            MarkCodeWrong(false);
            long at = m_code->GetInsertionPoint();
            const wxString grouped = GroupCode(value, &at);
            if (grouped != value) {
                m_code->ChangeValue(grouped);
                m_code->SetInsertionPoint(at);
            }
        });
    }
    body->AddStretchSpacer(1);
    body->Add(MakeText(this, theme,
                       _("Your ballot is secret: it is encrypted here, and nobody (not the staff, not this "
                         "machine) can tell how you voted."),
                       TextSize::Body, false, wrap, theme.colours().muted),
              0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    m_root->Add(body, 1, wxEXPAND | wxLEFT | wxRIGHT, theme.Px(48));
    AddFooter(info);
}

void WelcomePage::Submit()
{
    if (!m_code || m_waiting) return;
    // The code stays in the field: a refused one is marked and can be corrected, an accepted
    // one is cleared by the frame (ClearCode) as the ballot opens.
    const wxString typed = m_code->GetValue();
    if (typed.Strip(wxString::both).empty()) {
        FocusCode();
        return;
    }
    if (m_callbacks.on_code) m_callbacks.on_code(typed);
}

void WelcomePage::OnKey(const wxString& key)
{
    if (!m_code || m_waiting) return;
    wxString value = m_code->GetValue();
    if (key.empty()) {
        if (!value.empty() && value.Last() == '-') value.RemoveLast();
        if (!value.empty()) value.RemoveLast();
    } else if (m_code_marked) {
        // A refused code is selected: a new character starts a new code, as typing would.
        value = key;
    } else {
        value += key;
    }
    // Grouped in fours as on the slip: "K7QM-3XHP-…".
    m_code->ChangeValue(GroupCode(value, nullptr));
    if (m_message->kind() != MessageKind::None) m_message->Clear();
    MarkCodeWrong(false);
    FocusCode();
}

void WelcomePage::SetWait(std::optional<int> seconds, const wxString& reason)
{
    if (!m_code) return;
    const bool waiting = seconds.has_value();
    if (waiting) {
        wxString text = reason;
        if (!text.empty()) text += "\n";
        text += wxString::Format(wxPLURAL("Please wait %d second before trying again.",
                                          "Please wait %d seconds before trying again.", *seconds),
                                 *seconds);
        m_message->Set(text, MessageKind::Error);
    } else if (m_waiting) {
        m_message->Clear();
    }
    if (waiting != m_waiting) {
        m_waiting = waiting;
        m_code->Enable(!waiting);
        m_start->Enable(!waiting);
        for (BigButton* key : m_keys)
            key->Enable(!waiting);
        if (!waiting) FocusCode();
    }
}

void WelcomePage::ClearCode()
{
    if (!m_code) return;
    m_code->ChangeValue(wxString());
    MarkCodeWrong(false);
}

void WelcomePage::MarkCodeWrong(bool wrong)
{
    if (!m_code || wrong == m_code_marked) return;
    m_code_marked = wrong;
    const Palette& p = m_theme.colours();
    m_code->SetBackgroundColour(wrong ? p.error_back : (m_theme.high_contrast() ? *wxBLACK : *wxWHITE));
    m_code->SetForegroundColour(wrong ? p.error_text : p.text);
    m_code->Refresh();
}

void WelcomePage::FocusCode()
{
    if (m_code && m_code->IsEnabled()) {
        m_code->SetFocus();
        // A refused code is selected, so that typing or scanning the next one replaces it
        // (and the arrow keys or Delete correct it).
        if (m_code_marked)
            m_code->SelectAll();
        else
            m_code->SetInsertionPointEnd();
    }
}

void WelcomePage::TypeIntoCode(wxChar c)
{
    if (!m_code || !m_code->IsEnabled()) return;
    m_code->SetFocus();
    if (m_code_marked) m_code->ChangeValue(wxString());  // a new code replaces a refused one
    m_code->AppendText(wxString(c));
}

// --- BallotPage ---

BallotPage::BallotPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, const KioskSession& session,
                       Language language, Callbacks callbacks)
    : Screen(parent, theme, "ballot"), m_session(session), m_language(language), m_callbacks(std::move(callbacks))
{
    AddTopBar(info.title);
    AddTestBanner(info.test_mode);
    const int side = theme.Px(32);

    auto* status = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(MakeText(this, theme, _("Choose one grade for every member."), TextSize::Large, true));
    m_category = MakeText(this, theme, wxString(), TextSize::Body, false, 0, theme.colours().muted);
    m_category->SetName("category");
    left->Add(m_category, 0, wxTOP, theme.Px(4));
    status->Add(left, 1, wxALIGN_CENTER_VERTICAL);
    m_progress = MakeText(this, theme, wxString(), TextSize::Title, true);
    m_progress->SetName("progress");
    status->Add(m_progress, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, theme.Px(24));
    if (session.definition().quota) {
        m_quota = MakeText(this, theme, wxString(), TextSize::Title, true);
        m_quota->SetName("quota");
        status->Add(m_quota, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, theme.Px(40));
    }
    m_root->Add(status, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side / 2);

    m_message = new MessageBar(this, theme, theme.screen().x - 2 * side, 1);
    m_message->Hide();
    m_root->Add(m_message, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side / 2);

    m_grid = new BallotGrid(this, theme, session, language);
    m_grid->on_choose = [this](std::uint32_t member, std::uint32_t option) {
        if (m_callbacks.on_choose) m_callbacks.on_choose(member, option);
    };
    m_root->Add(m_grid, 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side / 2);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* cancel = new BigButton(this, theme, _("Give up this ballot"));
    cancel->SetName("cancel");
    auto* next = new BigButton(this, theme, _("Next: check my choices"), ButtonKind::Primary);
    next->SetName("next");
    // Tab from the list reaches 下一步 first: the way on, not the way out.
    next->MoveBeforeInTabOrder(cancel);
    m_more = MakeText(this, theme, wxString(), TextSize::Large, true, 0, theme.colours().info_text);
    m_more->SetName("more-below");
    buttons->Add(cancel, 0, wxALIGN_CENTER_VERTICAL);
    buttons->AddStretchSpacer();
    buttons->Add(m_more, 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, theme.Px(16));
    buttons->AddStretchSpacer();
    buttons->Add(next, 0, wxALIGN_CENTER_VERTICAL);
    m_root->Add(buttons, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side / 2);
    m_grid->on_rows_below = [this](std::uint32_t below) {
        m_more->SetLabelText(below == 0 ? wxString()
                                        : wxString::Format(wxPLURAL("%u more member below: scroll down",
                                                                    "%u more members below: scroll down", below),
                                                           below));
        Layout();
    };
    cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_cancel) m_callbacks.on_cancel();
    });
    next->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_next) m_callbacks.on_next();
    });
    AddFooter(info);
}

void BallotPage::Start()
{
    const ElectionDefinition& def = m_session.definition();
    const auto category = m_session.category();
    m_category->SetLabelText(category && *category < def.categories.size()
                                 ? wxString::Format(_("You vote as: %s"), U8(def.categories[*category].name))
                                 : wxString());
    ShowMessage({}, MessageKind::None);
    m_grid->Reset();
    UpdateCounts();
    Layout();
}

void BallotPage::ShowMessage(const wxString& text, MessageKind kind)
{
    m_message->Set(text, kind);
    if (m_message->IsShown() == text.empty()) {
        m_message->Show(!text.empty());
        Layout();
    }
}

void BallotPage::UpdateCounts()
{
    m_progress->SetLabelText(wxString::Format(_("Rated %u / %u"), m_session.rated_count(), m_session.member_count()));
    if (m_quota) {
        if (const auto q = m_session.quota()) {
            const ElectionDefinition& def = m_session.definition();
            m_quota->SetLabelText(
                wxString::Format("%s %u / %u", OptionHeading(def, q->option, m_language), q->used, q->max));
            const Palette& p = m_theme.colours();
            m_quota->SetForegroundColour(q->used >= q->max ? p.error_text : p.text);
        }
    }
    Layout();
}

// --- ReviewPage ---

ReviewPage::ReviewPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language,
                       Callbacks callbacks)
    : Screen(parent, theme, "review"), m_language(language), m_callbacks(std::move(callbacks))
{
    AddTopBar(_("Check your choices"));
    AddTestBanner(info.test_mode);
    const int side = theme.Px(32);
    m_root->Add(MakeText(this, theme,
                         _("These are your choices. Once you confirm, your ballot is encrypted and saved, and it "
                           "cannot be changed."),
                         TextSize::Large, true, theme.screen().x - 2 * side),
                0, wxLEFT | wxRIGHT | wxTOP, side);
    // The list takes the first focus (never the cast button) and shows the ring while it has it.
    m_list = MakeFocusList(this, theme, "review-list");
    // The names line up with the text above: the ring sits in the margin.
    const int ring = FocusListPadding(theme);
    m_root->Add(m_list->GetParent()->GetParent(), 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side - ring);
    m_message = new MessageBar(this, theme, theme.screen().x - 2 * side, 1);
    m_root->Add(m_message, 0, wxEXPAND | wxLEFT | wxRIGHT, side);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_back = new BigButton(this, theme, _("Go back and change"));
    m_back->SetName("back");
    // Encrypts and shows the tracking code first (the commit screen): 确认投票 is there.
    m_confirm = new BigButton(this, theme, _("Next: encrypt my ballot"), ButtonKind::Primary);
    m_confirm->SetName("confirm");
    buttons->Add(m_back, 0, wxALIGN_CENTER_VERTICAL);
    buttons->AddStretchSpacer();
    buttons->Add(m_confirm, 0, wxALIGN_CENTER_VERTICAL);
    m_root->Add(buttons, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, side / 2);
    m_back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_back) m_callbacks.on_back();
    });
    m_confirm->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_confirm) m_callbacks.on_confirm();
    });
    AddFooter(info);
}

void ReviewPage::Fill(const KioskSession& session)
{
    ClearChoices();
    const ElectionDefinition& def = session.definition();
    wxSizer* sizer = m_list->GetSizer();
    const Palette& p = m_theme.colours();
    for (std::uint32_t o = 0; o < def.options.size(); ++o) {
        std::vector<std::uint32_t> members;
        for (std::uint32_t m = 0; m < session.member_count(); ++m)
            if (session.choice(m) == o) members.push_back(m);
        const auto n = static_cast<unsigned>(members.size());
        auto* heading = MakeText(
            m_list, m_theme,
            wxString::Format(wxPLURAL("%s: %u member", "%s: %u members", n), OptionHeading(def, o, m_language), n),
            TextSize::Large, true);
        sizer->Add(heading, 0, wxTOP, m_theme.Px(o == 0 ? 4 : 20));
        auto* names = new wxWrapSizer(wxHORIZONTAL);
        if (members.empty())
            names->Add(MakeText(m_list, m_theme, _("(none)"), TextSize::Body, false, 0, p.muted), 0, wxALL,
                       m_theme.Px(6));
        for (std::uint32_t m : members) {
            auto* name = MakeText(m_list, m_theme, U8(def.roster[m].name), TextSize::Large);
            names->Add(name, 0, wxTOP | wxBOTTOM | wxRIGHT, m_theme.Px(6));
            names->AddSpacer(m_theme.Px(22));
        }
        sizer->Add(names, 0, wxEXPAND | wxLEFT, m_theme.Px(24));
    }
    m_list->FitInside();
    m_list->Scroll(0, 0);
    m_message->Clear();
    SetBusy(false);
    Layout();
}

void ReviewPage::ClearChoices()
{
    m_list->GetSizer()->Clear(/*delete_windows=*/true);
    m_list->FitInside();
}

void ReviewPage::SetBusy(bool busy)
{
    m_back->Enable(!busy);
    m_confirm->Enable(!busy);
}

void ReviewPage::FocusList()
{
    m_list->SetFocus();
}

// --- CommitPage ---

CommitPage::CommitPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Callbacks callbacks)
    : Screen(parent, theme, "commit"), m_callbacks(std::move(callbacks))
{
    AddTopBar(_("Your ballot is encrypted"));
    AddTestBanner(info.test_mode);
    const int wrap = ContentWidth();
    const Palette& p = theme.colours();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(MakeText(this, theme,
                       _("Your choices are encrypted. This is the tracking code of this encrypted ballot. It is "
                         "not saved yet."),
                       TextSize::Large, false, wrap),
              0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    body->Add(MakeText(this, theme, _("Tracking code"), TextSize::Body, false, 0, p.muted), 0,
              wxALIGN_CENTER_HORIZONTAL);
    m_code = new wxStaticText(this, wxID_ANY, wxString());
    m_code->SetName("commit-tracking-code");
    m_code->SetFont(theme.CodeFont(TextSize::Huge));
    m_code->SetForegroundColour(p.text);
    body->Add(m_code, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    body->Add(
        MakeText(this, theme, _("Press \"Confirm my vote\" to save it and count it."), TextSize::Body, false, wrap), 0,
        wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    m_check_text = MakeText(this, theme,
                            _("Check mode is on: \"Check this ballot\" opens this ballot instead. It is then never "
                              "counted, its choices are shown and kept in the box for anyone to check, and the code "
                              "can be used again."),
                            TextSize::Body, false, std::min(wrap, theme.Px(1100)), p.muted);
    m_check_text->SetName("check-explained");
    body->Add(m_check_text, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND | wxLEFT | wxRIGHT, theme.Px(32));
    m_message = new MessageBar(this, theme, wrap, 1);
    m_root->Add(m_message, 0, wxEXPAND | wxLEFT | wxRIGHT, theme.Px(32));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_back = new BigButton(this, theme, _("Go back and change"));
    m_back->SetName("commit-back");
    m_check = new BigButton(this, theme, _("Check this ballot"));
    m_check->SetName("check");
    m_cast = new BigButton(this, theme, _("Confirm my vote"), ButtonKind::Primary);
    m_cast->SetName("cast");
    buttons->Add(m_back, 0, wxALIGN_CENTER_VERTICAL);
    buttons->AddStretchSpacer();
    buttons->Add(m_check, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(24));
    buttons->Add(m_cast, 0, wxALIGN_CENTER_VERTICAL);
    m_root->Add(buttons, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, theme.Px(16));
    m_back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_back) m_callbacks.on_back();
    });
    m_cast->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_cast) m_callbacks.on_cast();
    });
    m_check->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_callbacks.on_check) m_callbacks.on_check();
    });
    AddFooter(info);
}

void CommitPage::SetCommitted(const std::string& tracking_code, bool check_mode)
{
    m_code->SetLabelText(U8(tracking_code));
    m_check->Show(check_mode);
    m_check_text->Show(check_mode);
    m_message->Clear();
    SetBusy(false);
    Layout();
}

void CommitPage::Clear()
{
    m_code->SetLabelText(wxString());
    m_message->Clear();
}

void CommitPage::SetBusy(bool busy)
{
    m_back->Enable(!busy);
    m_cast->Enable(!busy);
    m_check->Enable(!busy);
}

// --- CheckedPage ---

CheckedPage::CheckedPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, Language language,
                         std::function<void()> on_back)
    : Screen(parent, theme, "checked"), m_language(language), m_on_back(std::move(on_back))
{
    AddTopBar(_("Checked ballot: not counted"));
    AddTestBanner(info.test_mode);
    const int side = theme.Px(32);
    const Palette& p = theme.colours();
    m_root->Add(MakeText(this, theme,
                         _("This ballot was opened and will never be counted. Compare the choices below with the "
                           "ones you made, then scan the QR code on another device and compare it with the box."),
                         TextSize::Body, false, theme.screen().x - 2 * side),
                0, wxLEFT | wxRIGHT | wxTOP, side);
    auto* columns = new wxBoxSizer(wxHORIZONTAL);
    m_list = MakeFocusList(this, theme, "checked-list");
    // The choices line up with the text above: the ring sits in the margin.
    columns->AddSpacer(side - FocusListPadding(theme));
    columns->Add(m_list->GetParent()->GetParent(), 1, wxEXPAND | wxRIGHT, side);
    auto* right = new wxBoxSizer(wxVERTICAL);
    right->Add(MakeText(this, theme, _("Tracking code"), TextSize::Body, false, 0, p.muted), 0);
    m_code = new wxStaticText(this, wxID_ANY, wxString());
    m_code->SetName("checked-tracking-code");
    m_code->SetFont(theme.CodeFont(TextSize::Huge));
    m_code->SetForegroundColour(p.text);
    right->Add(m_code, 0, wxBOTTOM, theme.Px(12));
    m_qr = new wxStaticBitmap(this, wxID_ANY, wxNullBitmap);
    m_qr->SetName("checked-qr");
    right->Add(m_qr, 0);
    columns->Add(right, 0, wxEXPAND);
    columns->AddSpacer(side);
    m_root->Add(columns, 1, wxEXPAND | wxTOP, side - FocusListPadding(theme));
    m_back = new BigButton(this, theme, _("Back to the ballot"), ButtonKind::Primary);
    m_back->SetName("checked-back");
    m_root->Add(m_back, 0, wxALIGN_RIGHT | wxLEFT | wxRIGHT | wxTOP, side / 2);
    m_back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_on_back) m_on_back();
    });
    AddFooter(info);
}

void CheckedPage::Fill(const ElectionDefinition& def, const CheckedBallot& checked, const std::string& qr_text)
{
    Clear();
    m_code->SetLabelText(U8(checked.tracking_code));
    // Up to 10 members in one column, then two, then three, read down each column: a
    // 30-member ballot fits the screen without scrolling, so the teller sees every choice.
    const std::size_t n = std::min(checked.choices.size(), def.roster.size());
    const std::size_t cols = n <= 10 ? 1 : n <= 20 ? 2 : 3;
    const std::size_t rows = (n + cols - 1) / cols;
    auto* grid = new wxFlexGridSizer(static_cast<int>(cols), m_theme.Px(4), m_theme.Px(40));
    std::vector<wxString> lines(n);
    for (std::size_t m = 0; m < n; ++m) {
        lines[m] =
            U8(def.roster[m].name) + wxString::FromUTF8("：") + OptionHeading(def, checked.choices[m], m_language);
        m_choices_text += lines[m] + "\n";
    }
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t m = c * rows + r;
            if (m < n)
                grid->Add(MakeText(m_list, m_theme, lines[m], TextSize::Large), 0, wxTOP | wxBOTTOM, m_theme.Px(4));
            else
                grid->AddSpacer(0);
        }
    m_list->GetSizer()->Add(grid, 0);
    m_list->FitInside();
    m_list->Scroll(0, 0);
    auto qr = EncodeQr(qr_text);
    m_qr->SetBitmap(qr ? QrBitmap(*qr, std::max(2, m_theme.Px(4))) : wxNullBitmap);
    m_qr->Show(qr.ok());
    Layout();
    m_back->SetFocus();
}

void CheckedPage::Clear()
{
    m_list->GetSizer()->Clear(/*delete_windows=*/true);
    m_list->FitInside();
    m_code->SetLabelText(wxString());
    m_qr->SetBitmap(wxNullBitmap);
    m_choices_text.clear();
}

wxBitmap CheckedPage::qr_bitmap() const
{
    return m_qr->GetBitmap();
}

// --- BusyPage ---

// A thick bar with a block moving along it: something is happening (wxGauge's pulse is a
// hairline in GTK's theme and ignores the high-contrast colours).
class BusyBar final : public wxWindow {
  public:
    BusyBar(wxWindow* parent, const Theme& theme)
        : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxSize(theme.Px(600), theme.Px(28)), wxBORDER_NONE),
          m_theme(theme)
    {
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
            wxAutoBufferedPaintDC paint(this);
            paint.SetBackground(wxBrush(GetParent()->GetBackgroundColour()));
            paint.Clear();
            wxGCDC dc(paint);
            const wxSize size = GetClientSize();
            const Palette& p = m_theme.colours();
            const int radius = size.y / 2;
            dc.SetPen(wxPen(p.button_border, 2));
            dc.SetBrush(wxBrush(p.row_alt));
            dc.DrawRoundedRectangle(0, 0, size.x, size.y, radius);
            const int block = size.x / 4;
            const int travel = size.x - block;
            // There and back in 1.6 s, however often Pulse() is called.
            const auto ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_start)
                    .count();
            const auto phase = static_cast<int>(ms % 1600);
            const int x = (phase < 800 ? phase : 1600 - phase) * travel / 800;
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(p.primary));
            dc.DrawRoundedRectangle(x, 0, block, size.y, radius);
        });
    }
    bool AcceptsFocus() const override { return false; }
    void Pulse() { Refresh(); }

  private:
    const Theme& m_theme;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

BusyPage::BusyPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info) : Screen(parent, theme, "busy")
{
    AddTopBar(info.title);
    AddTestBanner(info.test_mode);
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(MakeText(this, theme, _("Encrypting and saving your ballot..."), TextSize::Title, true, ContentWidth()),
              0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(24));
    m_bar = new BusyBar(this, theme);
    body->Add(m_bar, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(24));
    body->Add(MakeText(this, theme, _("Please wait a moment."), TextSize::Large, false, ContentWidth()), 0,
              wxALIGN_CENTER_HORIZONTAL);
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);
}

void BusyPage::Pulse()
{
    m_bar->Pulse();
}

// --- ReceiptPage ---

ReceiptPage::ReceiptPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info, std::function<void()> on_done)
    : Screen(parent, theme, "receipt"), m_on_done(std::move(on_done))
{
    AddTopBar(info.title);
    AddTestBanner(info.test_mode);
    const int wrap = ContentWidth();
    const Palette& p = theme.colours();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(new CheckMark(this, theme), 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(12));
    auto* done_text = MakeText(this, theme, _("Your vote has been cast"), TextSize::Huge, true, wrap, p.success_text);
    done_text->SetName("success");
    body->Add(done_text, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    body->Add(MakeText(this, theme, _("Your ballot is encrypted and saved. Thank you!"), TextSize::Large, false, wrap),
              0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(20));
    // The code in letters beside the same code as a QR code.
    auto* code_row = new wxBoxSizer(wxHORIZONTAL);
    m_qr = new wxStaticBitmap(this, wxID_ANY, wxNullBitmap);
    m_qr->SetName("tracking-qr");
    m_qr_module = std::max(3, theme.Px(5));
    code_row->Add(m_qr, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, theme.Px(24));
    auto* code_column = new wxBoxSizer(wxVERTICAL);
    code_column->Add(MakeText(this, theme, _("Tracking code"), TextSize::Body, false, 0, p.muted), 0);
    m_code = new wxStaticText(this, wxID_ANY, wxString());
    m_code->SetName("tracking-code");
    m_code->SetFont(theme.CodeFont(TextSize::Huge));
    m_code->SetForegroundColour(p.text);
    code_column->Add(m_code, 0);
    code_row->Add(code_column, 0, wxALIGN_CENTER_VERTICAL);
    body->Add(code_row, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(12));
    body->Add(MakeText(this, theme,
                       _("Look for this code later in the tracking code list the branch posts: it shows that your "
                         "ballot was counted. The code does not reveal your choices."),
                       TextSize::Body, false, std::min(wrap, theme.Px(1000)), p.muted),
              0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(20));
    m_done = new BigButton(this, theme, _("Done"), ButtonKind::Primary);
    m_done->SetName("done");
    m_done->SetMinWidth(theme.Px(240));
    body->Add(m_done, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(8));
    m_countdown = MakeText(this, theme, wxString(), TextSize::Body, false, 0, p.muted);
    m_countdown->SetName("countdown");
    body->Add(m_countdown, 0, wxALIGN_CENTER_HORIZONTAL);
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);

    // Only 完成 ends the screen early: a touch elsewhere (a voter pointing at the code to
    // copy it down) does not.
    m_done->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_on_done) m_on_done();
    });
}

wxBitmap QrBitmap(const QrMatrix& qr, int module_px)
{
    constexpr int kQuiet = 4;
    const int side = (qr.size + 2 * kQuiet) * module_px;
    wxImage image(side, side);
    image.SetRGB(wxRect(0, 0, side, side), 255, 255, 255);
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            if (qr.At(x, y))
                image.SetRGB(wxRect((x + kQuiet) * module_px, (y + kQuiet) * module_px, module_px, module_px), 0, 0, 0);
    return wxBitmap(image);
}

void ReceiptPage::SetTrackingCode(const std::string& tracking_code)
{
    m_code->SetLabelText(U8(tracking_code));
    auto qr = EncodeQr(tracking_code);
    m_qr->SetBitmap(qr ? QrBitmap(*qr, m_qr_module) : wxNullBitmap);
    m_qr->Show(qr.ok());
    Layout();
    m_done->SetFocus();
}

wxBitmap ReceiptPage::qr_bitmap() const
{
    return m_qr->GetBitmap();
}

void ReceiptPage::SetSecondsLeft(int seconds)
{
    m_countdown->SetLabelText(wxString::Format(
        wxPLURAL("Back to the start in %d second.", "Back to the start in %d seconds.", seconds), seconds));
    Layout();
}

void ReceiptPage::ClearCode()
{
    m_code->SetLabelText(wxString());
    m_qr->SetBitmap(wxNullBitmap);
}

// --- WarningPage ---

WarningPage::WarningPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info,
                         std::function<void()> on_continue)
    : Screen(parent, theme, "warning"), m_on_continue(std::move(on_continue))
{
    AddTopBar(info.title);
    AddTestBanner(info.test_mode);
    const int wrap = ContentWidth();
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    body->Add(MakeText(this, theme, _("Are you still there?"), TextSize::Huge, true, wrap), 0,
              wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    m_text = MakeText(this, theme,
                      _("Nothing has happened for a while. If you do not continue, this ballot will be cancelled "
                        "(your code can still be used)."),
                      TextSize::Large, false, std::min(wrap, theme.Px(1000)));
    body->Add(m_text, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    m_seconds = MakeText(this, theme, wxString(), TextSize::Huge, true, 0, theme.colours().error_text);
    m_seconds->SetName("seconds");
    body->Add(m_seconds, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(24));
    m_continue = new BigButton(this, theme, _("Continue voting"), ButtonKind::Primary);
    m_continue->SetName("continue");
    m_continue->SetMinWidth(theme.Px(320));
    body->Add(m_continue, 0, wxALIGN_CENTER_HORIZONTAL);
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);
    m_continue->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_on_continue) m_on_continue();
    });
}

void WarningPage::SetSecondsLeft(int seconds)
{
    m_seconds->SetLabelText(wxString::Format(wxPLURAL("%d second", "%d seconds", seconds), seconds));
    Layout();
}

void WarningPage::FocusContinue()
{
    m_continue->SetFocus();
}

// --- ConfirmPage ---

ConfirmPage::ConfirmPage(wxWindow* parent, const Theme& theme, const ScreenInfo& info)
    : Screen(parent, theme, "confirm")
{
    AddTopBar(info.title);
    AddTestBanner(info.test_mode);
    auto* body = new wxBoxSizer(wxVERTICAL);
    body->AddStretchSpacer();
    m_title = MakeText(this, theme, wxString(), TextSize::Title, true);
    m_title->SetName("question");
    body->Add(m_title, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(16));
    m_text = MakeText(this, theme, wxString(), TextSize::Large);
    body->Add(m_text, 0, wxALIGN_CENTER_HORIZONTAL | wxBOTTOM, theme.Px(32));
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    // The safe answer is the prominent one (and has the focus): going on with what cannot be
    // undone takes the plain button.
    m_back = new BigButton(this, theme, wxString(), ButtonKind::Primary);
    m_back->SetName("confirm-back");
    m_confirm = new BigButton(this, theme, wxString());
    m_confirm->SetName("confirm-yes");
    buttons->Add(m_back, 0, wxRIGHT, theme.Px(40));
    buttons->Add(m_confirm, 0);
    body->Add(buttons, 0, wxALIGN_CENTER_HORIZONTAL);
    body->AddStretchSpacer();
    m_root->Add(body, 1, wxEXPAND);
    AddFooter(info);
    m_back->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_on_back) m_on_back();
    });
    m_confirm->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_on_confirm) m_on_confirm();
    });
}

void ConfirmPage::Ask(const wxString& title, const wxString& text, const wxString& confirm_label,
                      const wxString& back_label, std::function<void()> on_confirm, std::function<void()> on_back)
{
    const int wrap = std::min(ContentWidth(), m_theme.Px(1000));
    m_title->SetLabelText(WrapText(title, m_title->GetFont(), wrap));
    m_text->SetLabelText(WrapText(text, m_text->GetFont(), wrap));
    m_confirm->SetLabelText(confirm_label);
    m_back->SetLabelText(back_label);
    m_on_confirm = std::move(on_confirm);
    m_on_back = std::move(on_back);
    Layout();
    // The safe answer has the focus: Enter alone never confirms something that cannot be undone.
    m_back->SetFocus();
}

}  // namespace pingyi::kiosk
