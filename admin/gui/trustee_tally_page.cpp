#include "admin/gui/trustee_tally_page.hpp"

#include <wx/filepicker.h>
#include <wx/listctrl.h>
#include <wx/spinctrl.h>

#include <algorithm>

#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"
#include "crypto/sign.hpp"

namespace pingyi::admin {
namespace {

constexpr int kWrap = 900;

// "ab12-cd34-…" spaced out as "a b 1 2   c d 3 4 …", so that a teller can compare it digit by
// digit, group by group, with the opening form signed at the kiosk.
wxString Spaced(const std::string& fingerprint)
{
    wxString out;
    for (char c : fingerprint)
        out += c == '-' ? wxString("  ") : wxString(c) + " ";
    return out.Strip(wxString::trailing);
}

}  // namespace

TrusteeTallyPage::TrusteeTallyPage(wxWindow* parent, std::function<void(app::TallyOutcome&&)> combined)
    : wxPanel(parent, wxID_ANY), m_combined(std::move(combined)), m_task(this, {})
{
    SetName("trustee_tally");
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_intro = MakeText(this, "trustee_tally.intro");
    s->Add(m_intro, 0, wxBOTTOM, 6);
    m_devices_intro = MakeText(this, "trustee_tally.devices_intro");
    s->Add(m_devices_intro, 0, wxBOTTOM, 4);
    m_devices = MakeText(this, "trustee_tally.devices");
    m_devices->SetFont(wxFont(wxFontInfo(16).Family(wxFONTFAMILY_TELETYPE).Bold()));
    s->Add(m_devices, 0, wxBOTTOM, 8);
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(110)),
                            wxLC_REPORT | wxLC_SINGLE_SEL | wxBORDER_THEME);
    m_list->SetName("trustee_tally.list");
    m_list->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(50));
    m_list->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(200));
    m_list->AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(420));
    s->Add(m_list, 0, wxEXPAND | wxBOTTOM, 8);

    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_key_label = MakeText(this, "trustee_tally.key_label");
    m_key = new wxFilePickerCtrl(this, wxID_ANY, wxString(), wxString(), "trustee-*.pyk|*.pyk|*|*", wxDefaultPosition,
                                 wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    m_key->SetName("trustee_tally.key");
    m_pass_label = MakeText(this, "trustee_tally.pass_label");
    m_pass = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(220), -1),
                            wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    m_pass->SetName("trustee_tally.passphrase");
    m_open = new wxButton(this, wxID_ANY, wxString());
    m_open->SetName("trustee_tally.open");
    row->Add(m_key_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    row->Add(m_key, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
    row->Add(m_pass_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    row->Add(m_pass, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    row->Add(m_open, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(row, 0, wxEXPAND | wxBOTTOM, 8);

    // What the trustee checks before decrypting.
    m_preview_panel = new wxPanel(this);
    m_preview_panel->SetName("trustee_tally.preview");
    auto* ps = new wxBoxSizer(wxVERTICAL);
    m_who = MakeText(m_preview_panel, "trustee_tally.who");
    m_who->SetFont(UiFont(1.2, wxFONTWEIGHT_BOLD));
    ps->Add(m_who, 0, wxBOTTOM, 4);
    m_boxes = MakeText(m_preview_panel, "trustee_tally.boxes");
    m_boxes->SetFont(wxFont(wxFontInfo(20).Family(wxFONTFAMILY_TELETYPE).Bold()));
    ps->Add(m_boxes, 0, wxBOTTOM, 6);
    m_what = MakeText(m_preview_panel, "trustee_tally.what");
    ps->Add(m_what, 0, wxBOTTOM, 6);
    m_present_sizer = new wxFlexGridSizer(2, 4, 10);
    ps->Add(m_present_sizer, 0, wxBOTTOM, 6);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_decrypt = new wxButton(m_preview_panel, wxID_ANY, wxString());
    m_decrypt->SetName("trustee_tally.decrypt");
    m_decrypt->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    m_close = new wxButton(m_preview_panel, wxID_ANY, wxString());
    m_close->SetName("trustee_tally.close");
    buttons->Add(m_decrypt, 0, wxRIGHT, 8);
    buttons->Add(m_close, 0);
    ps->Add(buttons, 0);
    m_preview_panel->SetSizer(ps);
    s->Add(m_preview_panel, 0, wxEXPAND | wxBOTTOM, 8);

    auto* admin = new wxBoxSizer(wxHORIZONTAL);
    m_admin_label = MakeText(this, "trustee_tally.admin_label");
    m_admin_pass = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(220), -1),
                                  wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    m_admin_pass->SetName("trustee_tally.admin_passphrase");
    m_combine = new wxButton(this, wxID_ANY, wxString());
    m_combine->SetName("trustee_tally.combine");
    m_combine->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    admin->Add(m_admin_label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    admin->Add(m_admin_pass, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    admin->Add(m_combine, 0, wxALIGN_CENTER_VERTICAL);
    s->Add(admin, 0, wxBOTTOM, 8);
    m_status = MakeText(this, "trustee_tally.status");
    m_status->SetFont(UiFont(1.05, wxFONTWEIGHT_BOLD));
    s->Add(m_status, 0);
    SetSizer(s);

    m_open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { OpenKey(); });
    m_pass->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { OpenKey(); });
    m_decrypt->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Decrypt(); });
    m_close->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CloseTrustee(); });
    m_combine->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Combine(); });
    m_admin_pass->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { Combine(); });
    m_preview_panel->Hide();
}

void TrusteeTallyPage::ApplyLabels()
{
    SetListHeadings(m_list, {_("No."), _("Trustee"), _("Partial decryption")});
    m_key_label->SetLabel(_("Trustee's key file:"));
    m_key->GetPickerCtrl()->SetLabel(_("Browse..."));
    m_pass_label->SetLabel(_("Passphrase:"));
    m_open->SetLabel(_("Open my key"));
    m_decrypt->SetLabel(_("Decrypt my part"));
    m_close->SetLabel(_("Not now"));
    m_admin_label->SetLabel(_("Secretary's passphrase (admin key):"));
    m_combine->SetLabel(_("Combine and show the results"));
    if (m_verified.audit.package) {
        ShowTrustees();
        if (m_preview) ShowPreview();
    }
    Layout();
}

void TrusteeTallyPage::Begin(app::TallyOutcome verified, const app::TallyRequest& request)
{
    m_verified = std::move(verified);
    m_verified.error.reset();
    m_request = request;
    m_share.reset();
    m_preview.reset();
    m_key->SetPath(wxString());
    m_pass->ChangeValue(wxString());
    m_admin_pass->ChangeValue(wxString());
    m_status->SetLabel(wxString());
    m_preview_panel->Hide();
    ShowTrustees();
}

void TrusteeTallyPage::ShowDevices()
{
    // Shown before any key file is asked for: the tellers compare these with the opening forms.
    const auto& expected = m_request.expect_devices;
    wxString lines;
    for (const auto& m : MatchDevices(m_verified.audit, expected))
        lines += (lines.empty() ? "" : "\n") + wxString::Format(_("Kiosk %u: "), m.kiosk) + Spaced(m.fingerprint) +
                 "   " +
                 (expected.empty() ? _("(no list of expected devices was given)")
                  : m.registered   ? _("✓ on the list of expected devices")
                                   : _("✗ NOT on the list of expected devices"));
    m_devices->SetLabel(lines);
    SetWrappedLabel(m_devices_intro,
                    expected.empty()
                        ? _("WARNING: no expected kiosk devices were given, so the boxes were not checked against "
                            "the kiosks opened at the meeting. Before any trustee opens a key, compare each "
                            "device fingerprint below, group by group, with the opening form (开箱记录).")
                        : _("Every box's device was on the list of expected devices typed from the opening forms "
                            "(开箱记录). Compare them again, group by group, before any trustee opens a key."),
                    FromDIP(kWrap));
    m_devices_intro->SetForegroundColour(expected.empty() ? wxColour(0x9A, 0x5B, 0x00) : wxColour(0x1B, 0x6E, 0x20));
}

std::vector<std::filesystem::path> TrusteeTallyPage::partials() const
{
    return app::PartialFilesIn(m_request.out_folder);
}

wxString TrusteeTallyPage::TrusteeName(std::uint32_t index) const
{
    const TrusteeRecord* t = m_verified.audit.package->trustees->Find(index);
    return t ? U8(t->name) : wxString::Format("%u", index);
}

void TrusteeTallyPage::ShowTrustees()
{
    const TrusteeSet& set = *m_verified.audit.package->trustees;
    const auto done = partials();
    SetWrappedLabel(m_intro,
                    wxString::Format(_("Every check passed. This evaluation's key is held by %zu trustees: any %u of "
                                       "them decrypt together. Each trustee present, in turn: choose your key file "
                                       "(trustee-<n>.pyk on your USB stick), type your passphrase and open it."),
                                     set.members.size(), set.threshold),
                    FromDIP(kWrap));
    ShowDevices();
    m_list->DeleteAllItems();
    for (const auto& t : set.members) {
        const long row = m_list->InsertItem(m_list->GetItemCount(), wxString::Format("%u", t.index));
        m_list->SetItem(row, 1, U8(t.name));
        const auto path = app::PartialPath(m_request.out_folder, t.index);
        const bool has = std::find(done.begin(), done.end(), path) != done.end();
        m_list->SetItem(row, 2, has ? wxString::Format(_("decrypted: %s"), FromPath(path.filename())) : wxString("-"));
        if (has) m_list->SetItemBackgroundColour(row, wxColour(0xE3, 0xF4, 0xE1));
    }
    const bool enough = done.size() >= set.threshold;
    m_admin_label->Enable(!done.empty());
    m_admin_pass->Enable(!done.empty());
    m_combine->Enable(!done.empty() && !busy());
    if (!m_share)
        SetWrappedLabel(
            m_status,
            enough ? wxString::Format(_("%zu of the %u trustees needed have decrypted: the secretary can "
                                        "now combine their parts into the results."),
                                      done.size(), set.threshold)
                   : wxString::Format(_("%zu of the %u trustees needed have decrypted."), done.size(), set.threshold),
            FromDIP(kWrap));
    m_status->SetForegroundColour(enough ? wxColour(0x1B, 0x6E, 0x20) : wxColour(0x40, 0x40, 0x40));
    Layout();
}

void TrusteeTallyPage::Problem(const wxString& text, const Error& error)
{
    m_status->SetForegroundColour(wxColour(0xB0, 0x10, 0x10));
    SetWrappedLabel(m_status, text, FromDIP(kWrap));
    Layout();
    ShowError(this, text, error);
}

void TrusteeTallyPage::OpenKey()
{
    if (busy()) return;
    const std::filesystem::path key = ToPath(m_key->GetPath());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(key, ec)) {
        Problem(_("Please choose your key file (trustee-<n>.pyk on your USB stick)."), MakeError("file.read", ""));
        return;
    }
    if (m_pass->GetValue().empty()) {
        Problem(_("Please type your passphrase."), MakeError("passphrase.missing", ""));
        return;
    }
    auto pass = std::make_shared<SecretBytes>(SecretFromWx(m_pass->GetValue()));
    m_pass->ChangeValue(wxString());
    m_open->Enable(false);
    m_status->SetLabel(_("Opening the key file..."));
    m_task.Start<Result<OpenedShare>>(
        [key, pass](BackgroundTask&) { return app::OpenTrusteeKeyFile(key, *pass); },
        [this, key](Result<OpenedShare>&& share) {
            m_open->Enable(true);
            if (!share) {
                // The key file's name says whose it is (trustee-<n>.pyk): name that trustee.
                const auto index = app::TrusteeOfKeyFile(key);
                const bool known = index && m_verified.audit.package->trustees->Find(*index) != nullptr;
                Problem(wxString::Format(_("%s: %s"), known ? TrusteeName(*index) : FromPath(key.filename()),
                                         ErrorMessage(share.error())),
                        share.error());
                return;
            }
            auto preview = PreviewPartial(m_verified.audit, *share);
            if (!preview) {
                Problem(wxString::Format(_("%s: %s"), TrusteeName(share->share.index()), ErrorMessage(preview.error())),
                        preview.error());
                return;
            }
            m_share = std::move(share).value();
            m_preview = std::move(preview).value();
            ShowPreview();
        });
}

void TrusteeTallyPage::ShowPreview()
{
    const auto& def = m_verified.audit.package->definition;
    const PartialPreview& p = *m_preview;
    m_who->SetLabel(wxString::Format(
        _("Trustee %u, %s (key %s)"), p.trustee->index, U8(p.trustee->name),
        U8(KeyFingerprint(m_share->share.public_share().Encode(), m_verified.audit.package->suite()))));
    wxString boxes;
    for (const auto& b : p.boxes)
        boxes += (boxes.empty() ? "" : "\n") + wxString::Format(_("Kiosk %u: "), b.kiosk) +
                 Spaced(KeyFingerprint(b.device_public_key, m_verified.audit.package->suite()));
    m_boxes->SetLabel(boxes);
    wxString what = _("Compare each kiosk's device-key fingerprint above, group by group, with the opening form "
                      "signed at the kiosk.") +
                    "\n" +
                    wxString::Format(_("What will be decrypted: only the sums of whole groups of voters (%zu sums), "
                                       "never a single ballot."),
                                     p.aggregates);
    for (const auto& g : p.groups)
        what += "\n  " + wxString::Format(_("Group %s: %u ballots"), U8(GroupLabel(def, g)), g.ballots);
    SetWrappedLabel(m_what, what, FromDIP(kWrap));
    m_present_sizer->Clear(true);
    m_present.clear();
    for (std::size_t c = 0; c < def.categories.size(); ++c) {
        auto* label = new wxStaticText(
            m_preview_panel, wxID_ANY,
            wxString::Format(_("%s present at the meeting (实到; codes used %u of %u):"), U8(def.categories[c].name),
                             p.attendance[c].used, p.attendance[c].issued));
        auto* spin = new wxSpinCtrl(m_preview_panel, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                    wxSP_ARROW_KEYS, 0, 100000, 0);
        spin->SetName(wxString::Format("trustee_tally.present_%zu", c + 1));
        m_present_sizer->Add(label, 0, wxALIGN_CENTER_VERTICAL);
        m_present_sizer->Add(spin, 0);
        m_present.push_back(spin);
    }
    m_status->SetForegroundColour(wxColour(0x40, 0x40, 0x40));
    SetWrappedLabel(m_status, _("Enter the number present per category, then press \"Decrypt my part\" to confirm."),
                    FromDIP(kWrap));
    m_preview_panel->Show();
    m_key->Enable(false);
    m_pass->Enable(false);
    m_open->Enable(false);
    m_preview_panel->Layout();
    Layout();
}

void TrusteeTallyPage::CloseTrustee()
{
    m_share.reset();
    m_preview.reset();
    m_preview_panel->Hide();
    m_key->SetPath(wxString());
    for (wxWindow* w : std::initializer_list<wxWindow*>{m_key, m_pass, m_open})
        w->Enable(true);
    ShowTrustees();
}

void TrusteeTallyPage::Decrypt()
{
    if (busy() || !m_share) return;
    std::vector<std::uint32_t> present;
    for (auto* spin : m_present)
        present.push_back(static_cast<std::uint32_t>(spin->GetValue()));
    const std::uint32_t index = m_share->share.index();
    const std::filesystem::path out = app::PartialPath(m_request.out_folder, index);
    m_decrypt->Enable(false);
    m_close->Enable(false);
    m_status->SetLabel(_("Decrypting your part of the sums..."));
    const Audit* audit = &m_verified.audit;
    const OpenedShare* share = &*m_share;
    m_task.Start<Status>(
        [audit, share, present, out](BackgroundTask& task) {
            return app::WriteTrusteePartial(*audit, *share, present, out, [&task](std::size_t done, std::size_t total) {
                return task.Report(0, done, total);
            });
        },
        [this, index](Status&& s) {
            m_decrypt->Enable(true);
            m_close->Enable(true);
            if (!s) {
                Problem(wxString::Format(_("%s: %s"), TrusteeName(index), ErrorMessage(s.error())), s.error());
                return;
            }
            CloseTrustee();
        });
}

void TrusteeTallyPage::Combine()
{
    if (busy()) return;
    if (m_admin_pass->GetValue().empty()) {
        Problem(_("Please enter the secretary's passphrase of the admin key."), MakeError("passphrase.missing", ""));
        return;
    }
    auto pass = std::make_shared<SecretBytes>(SecretFromWx(m_admin_pass->GetValue()));
    m_admin_pass->ChangeValue(wxString());
    app::CombineRequest req;
    req.partials = partials();
    req.admin_key = m_request.admin_key.empty() ? m_request.key_folder / app::kAdminKeyFile : m_request.admin_key;
    req.out_folder = m_request.out_folder;
    req.present = m_request.present;
    m_combine->Enable(false);
    m_status->SetLabel(_("Combining the partial decryptions..."));
    m_task.Start<app::TallyOutcome>(
        [verified = m_verified, req, pass](BackgroundTask&) mutable {
            return app::CombineTrusteeFiles(std::move(verified), req, *pass, {});
        },
        [this](app::TallyOutcome&& out) {
            m_combine->Enable(true);
            if (out.error) {
                Problem(ErrorMessage(*out.error), *out.error);
                return;
            }
            m_status->SetLabel(wxString());
            m_combined(std::move(out));
        });
}

}  // namespace pingyi::admin
