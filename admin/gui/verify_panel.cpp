#include "admin/gui/verify_panel.hpp"

#include <wx/filepicker.h>
#include <wx/gauge.h>
#include <wx/listctrl.h>

#include "admin/gui/check_list.hpp"
#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"
#include "app/tally_flow.hpp"

namespace pingyi::admin {

VerifyPanel::VerifyPanel(wxWindow* parent, std::function<void()> go_home)
    : wxPanel(parent, wxID_ANY),
      m_go_home(std::move(go_home)),
      m_task(this, [this](int, std::size_t done, std::size_t total) {
          if (!busy()) return;
          m_phase->SetLabel(wxString::Format(_("Verifying ballots: %zu of %zu"), done, total));
          if (total > 0) {
              m_gauge->SetRange(static_cast<int>(total));
              m_gauge->SetValue(static_cast<int>(std::min(done, total)));
          }
      })
{
    SetName("verify");
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_heading = MakeHeading(this, "verify.heading");
    top->Add(m_heading, 0, wxALL, 12);
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_intro = new wxStaticText(this, wxID_ANY, wxString());
    s->Add(m_intro, 0, wxBOTTOM, 8);
    auto* form = new wxFlexGridSizer(2, 6, 10);
    form->AddGrowableCol(1);
    m_package_label = new wxStaticText(this, wxID_ANY, wxString());
    m_package =
        new wxFilePickerCtrl(this, wxID_ANY, wxString(), wxString(), "election.pyp|*.pyp|*|*", wxDefaultPosition,
                             wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    m_package->SetName("verify.package");
    m_boxes_label = new wxStaticText(this, wxID_ANY, wxString());
    m_boxes = new BoxList(this, "verify");
    m_devices_label = new wxStaticText(this, wxID_ANY, wxString());
    m_devices = new DeviceField(this, "verify");
    m_results_label = new wxStaticText(this, wxID_ANY, wxString());
    m_results =
        new wxFilePickerCtrl(this, wxID_ANY, wxString(), wxString(), "results.json|*.json|*|*", wxDefaultPosition,
                             wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    m_results->SetName("verify.results");
    form->Add(m_package_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_package, 1, wxEXPAND);
    form->Add(m_boxes_label, 0, wxALIGN_TOP | wxTOP, 4);
    form->Add(m_boxes, 1, wxEXPAND);
    form->Add(m_devices_label, 0, wxALIGN_TOP | wxTOP, 4);
    form->Add(m_devices, 1, wxEXPAND);
    form->Add(m_results_label, 0, wxALIGN_CENTER_VERTICAL);
    form->Add(m_results, 1, wxEXPAND);
    s->Add(form, 0, wxEXPAND | wxBOTTOM, 10);
    m_start = new wxButton(this, wxID_ANY, wxString());
    m_start->SetName("verify.start");
    m_start->SetFont(UiFont(1.1, wxFONTWEIGHT_BOLD));
    auto* progress = new wxBoxSizer(wxHORIZONTAL);
    progress->Add(m_start, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 16);
    m_phase = new wxStaticText(this, wxID_ANY, wxString());
    m_phase->SetName("verify.phase");
    m_phase->SetMinSize(wxSize(FromDIP(300), -1));
    m_gauge = new wxGauge(this, wxID_ANY, 100);
    m_gauge->SetName("verify.gauge");
    m_cancel = new wxButton(this, wxID_ANY, wxString());
    m_cancel->SetName("verify.cancel");
    progress->Add(m_phase, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    progress->Add(m_gauge, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    progress->Add(m_cancel, 0);
    s->Add(progress, 0, wxEXPAND | wxBOTTOM, 8);
    m_banner = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
                                wxALIGN_CENTRE_HORIZONTAL | wxST_NO_AUTORESIZE);
    m_banner->SetName("verify.banner");
    m_banner->SetFont(UiFont(1.3, wxFONTWEIGHT_BOLD));
    s->Add(m_banner, 0, wxEXPAND | wxBOTTOM, 8);
    m_checks = new CheckList(this, "verify.checks");
    s->Add(m_checks, 2, wxEXPAND);
    m_events_label = new wxStaticText(this, wxID_ANY, wxString());
    m_events_label->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    s->Add(m_events_label, 0, wxTOP | wxBOTTOM, 6);
    m_events = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_events->SetName("verify.events");
    s->Add(m_events, 1, wxEXPAND);
    // The tellers' checked ballots beside the tracking codes a voter looks theirs up in.
    auto* lists = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    m_spoiled_label = new wxStaticText(this, wxID_ANY, wxString());
    m_spoiled_label->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    left->Add(m_spoiled_label, 0, wxTOP | wxBOTTOM, 6);
    m_spoiled = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_spoiled->SetName("verify.spoiled");
    left->Add(m_spoiled, 1, wxEXPAND);
    lists->Add(left, 3, wxEXPAND | wxRIGHT, 12);
    auto* right = new wxBoxSizer(wxVERTICAL);
    m_tracking_label = new wxStaticText(this, wxID_ANY, wxString());
    m_tracking_label->SetFont(UiFont(1.0, wxFONTWEIGHT_BOLD));
    right->Add(m_tracking_label, 0, wxTOP | wxBOTTOM, 6);
    m_search = new wxTextCtrl(this, wxID_ANY);
    m_search->SetName("verify.tracking-search");
    right->Add(m_search, 0, wxEXPAND | wxBOTTOM, 4);
    m_found = new wxStaticText(this, wxID_ANY, wxString());
    m_found->SetName("verify.tracking-found");
    right->Add(m_found, 0, wxBOTTOM, 4);
    m_tracking = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_tracking->SetName("verify.tracking");
    right->Add(m_tracking, 1, wxEXPAND);
    lists->Add(right, 1, wxEXPAND);
    s->Add(lists, 1, wxEXPAND);
    top->Add(s, 1, wxEXPAND | wxLEFT | wxRIGHT, 12);
    m_home = new wxButton(this, wxID_ANY, wxString());
    m_home->SetName("verify.home");
    top->Add(m_home, 0, wxALL, 12);
    SetSizer(top);

    m_start->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Start(); });
    m_cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_task.Cancel();
        m_phase->SetLabel(_("Cancelling..."));
    });
    m_home->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (!busy()) m_go_home();
    });
    m_search->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { FillTracking(); });
    m_cancel->Enable(false);
    m_banner->Hide();
    ApplyLabels();
}

VerifyPanel::~VerifyPanel() = default;

void VerifyPanel::ApplyLabels()
{
    m_heading->SetLabel(_("Verify only (for auditors and the upper level)"));
    SetWrappedLabel(m_intro,
                    _("No key is needed: choose the public files of the evaluation. Every ballot's proofs, the "
                      "kiosks' signatures, the record chain, the used codes and, if given, the published results "
                      "and their decryption proofs are checked."),
                    FromDIP(900));
    m_package_label->SetLabel(_("Election package:"));
    m_boxes_label->SetLabel(_("Ballot boxes:"));
    m_boxes->ApplyLabels();
    m_devices_label->SetLabel(_("Kiosk devices (开箱记录):"));
    m_devices->ApplyLabels();
    m_results_label->SetLabel(_("Results (optional):"));
    for (auto* picker : {m_package, m_results})
        picker->GetPickerCtrl()->SetLabel(_("Browse..."));
    m_start->SetLabel(_("Verify"));
    m_cancel->SetLabel(_("Cancel"));
    m_home->SetLabel(_("Home"));
    m_checks->ApplyLabels();
    m_events_label->SetLabel(_("Kiosk event logs (signed; never who voted how)"));
    m_events->ClearAll();
    const std::pair<const char*, int> columns[] = {{wxTRANSLATE("Kiosk"), 70},
                                                   {wxTRANSLATE("No."), 60},
                                                   {wxTRANSLATE("Time (this computer's time zone)"), 220},
                                                   {wxTRANSLATE("Event"), 300},
                                                   {wxTRANSLATE("Details"), 260}};
    for (const auto& [title, width] : columns)
        m_events->AppendColumn(wxGetTranslation(title), wxLIST_FORMAT_LEFT, FromDIP(width));
    FillEvents();
    m_spoiled_label->SetLabel(_("Ballots checked by the tellers (never counted): choices from the revealed nonces"));
    m_tracking_label->SetLabel(_("Find your tracking code"));
    m_search->SetHint(_("Type your tracking code"));
    m_spoiled->ClearAll();
    const std::pair<const char*, int> spoiled_columns[] = {{wxTRANSLATE("Kiosk"), 60},
                                                           {wxTRANSLATE("Tracking code"), 110},
                                                           {wxTRANSLATE("Result"), 160},
                                                           {wxTRANSLATE("Choices"), 500}};
    for (const auto& [title, width] : spoiled_columns)
        m_spoiled->AppendColumn(wxGetTranslation(title), wxLIST_FORMAT_LEFT, FromDIP(width));
    m_tracking->ClearAll();
    m_tracking->AppendColumn(_("Kiosk"), wxLIST_FORMAT_LEFT, FromDIP(60));
    m_tracking->AppendColumn(_("Tracking code"), wxLIST_FORMAT_LEFT, FromDIP(120));
    FillSpoiled();
    FillTracking();
    ShowVerdict();
    Layout();
}

void VerifyPanel::ShowBallots(const Audit& audit)
{
    m_spoiled_ballots.clear();
    m_tracking_codes.clear();
    m_members.clear();
    m_options.clear();
    if (!audit.cancelled) {
        m_spoiled_ballots = audit.spoiled;
        if (audit.package) {
            for (const auto& m : audit.package->definition.roster)
                m_members.push_back(m.name);
            m_options = audit.package->definition.options;
        }
        for (const auto& box : audit.boxes)
            for (const auto& b : box.contents.ballots)
                m_tracking_codes.emplace_back(box.contents.kiosk, TrackingCode(b.hash));
    }
    FillSpoiled();
    FillTracking();
}

void VerifyPanel::FillSpoiled()
{
    m_spoiled->DeleteAllItems();
    for (const auto& b : m_spoiled_ballots) {
        const long row = m_spoiled->InsertItem(m_spoiled->GetItemCount(), wxString::Format("%u", b.kiosk));
        m_spoiled->SetItem(row, 1, wxString::FromUTF8(b.tracking_code));
        m_spoiled->SetItem(row, 2, b.problem.empty() ? _("opens with its nonces") : _("FAILED: does not open"));
        wxString choices;
        for (std::size_t m = 0; m < b.choices.size() && m < m_members.size(); ++m)
            if (b.choices[m] < m_options.size())
                choices += (choices.empty() ? wxString() : wxString::FromUTF8("，")) +
                           wxString::FromUTF8(m_members[m] + "：" + m_options[b.choices[m]]);
        m_spoiled->SetItem(row, 3, b.problem.empty() ? choices : wxString::FromUTF8(b.problem));
    }
}

void VerifyPanel::FillTracking()
{
    // What the voter typed, as the code is printed: upper case, without spaces or dashes.
    std::string query;
    for (const char ch : m_search->GetValue().utf8_string())
        if (ch != ' ' && ch != '-') query.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    m_tracking->DeleteAllItems();
    for (const auto& [kiosk, code] : m_tracking_codes) {
        std::string plain = code;
        std::erase(plain, '-');
        if (plain.find(query) == std::string::npos) continue;
        const long row = m_tracking->InsertItem(m_tracking->GetItemCount(), wxString::Format("%u", kiosk));
        m_tracking->SetItem(row, 1, wxString::FromUTF8(code));
    }
    m_found->SetLabel(query.empty() ? wxString::Format(_("%zu tracking codes of cast ballots"), m_tracking_codes.size())
                      : m_tracking->GetItemCount() > 0
                          ? wxString::Format(_("Found: %d of %zu"), m_tracking->GetItemCount(), m_tracking_codes.size())
                          : _("Not found among the cast ballots."));
}

void VerifyPanel::ShowEvents(const Audit& audit)
{
    m_event_bodies.clear();
    if (!audit.cancelled)
        for (const auto& box : audit.boxes)
            for (const auto& e : box.contents.events)
                m_event_bodies.emplace_back(box.contents.kiosk, e.seq, e.body);
    FillEvents();
}

void VerifyPanel::FillEvents()
{
    m_events->DeleteAllItems();
    for (const auto& [kiosk, seq, body] : m_event_bodies) {
        const long row = m_events->InsertItem(m_events->GetItemCount(), wxString::Format("%u", kiosk));
        m_events->SetItem(row, 1, wxString::Format("%llu", static_cast<unsigned long long>(seq)));
        const auto parsed = ParseJson(body);
        if (!parsed) {
            m_events->SetItem(row, 3, _("(unreadable entry)"));
            continue;
        }
        try {
            const nlohmann::json& j = *parsed;
            const bool ok = !j.contains("ok") || j["ok"] == true;
            m_events->SetItem(row, 2, LocalTimeInWords(j.value("time", std::string())));
            m_events->SetItem(row, 3, EventName(j.value("event", std::string()), ok));
            m_events->SetItem(row, 4, EventDetail(j));
        } catch (const nlohmann::json::exception&) {
            m_events->SetItem(row, 3, _("(unreadable entry)"));
        }
    }
}

void VerifyPanel::Start()
{
    if (busy()) return;
    const std::filesystem::path package = ToPath(m_package->GetPath());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(package, ec)) {
        ShowError(this, _("Please choose the election package (election.pyp)."),
                  MakeError("file.read", package.string()));
        return;
    }
    if (m_boxes->paths().empty()) {
        ShowError(this, _("Please add the ballot boxes exported from the kiosks."), MakeError("boxes.none", ""));
        return;
    }
    const auto boxes = m_boxes->paths();
    const auto devices = m_devices->Read();  // a malformed line: said, nothing verified
    if (!devices) return;
    const std::filesystem::path results = ToPath(m_results->GetPath());
    m_verdict.clear();
    m_checks->ShowPending(boxes.size(), !results.empty());
    m_event_bodies.clear();
    FillEvents();
    m_spoiled_ballots.clear();
    m_tracking_codes.clear();
    FillSpoiled();
    FillTracking();
    m_banner->Hide();
    m_gauge->SetValue(0);
    m_phase->SetLabel(_("Reading the files..."));
    m_start->Enable(false);
    m_home->Enable(false);
    m_cancel->Enable(true);
    Layout();
    m_task.Start<Audit>(
        [package, boxes, results, expected = *devices](BackgroundTask& task) {
            return app::VerifyPublicFiles(
                package, boxes, results, expected,
                [&task](std::size_t done, std::size_t total) { return task.Report(0, done, total); });
        },
        [this](Audit&& audit) { Finished(std::move(audit)); });
}

void VerifyPanel::Finished(Audit&& audit)
{
    m_start->Enable(true);
    m_home->Enable(true);
    m_cancel->Enable(false);
    m_checks->ShowReport(audit.report);
    ShowEvents(audit);
    ShowBallots(audit);
    m_checks_total = audit.report.lines.size();
    m_checks_passed = 0;
    for (const auto& l : audit.report.lines)
        m_checks_passed += l.ok ? 1 : 0;
    m_verdict = audit.cancelled           ? "cancelled"
                : !audit.report.ok()      ? "failed"
                : audit.report.any_open() ? "open"
                                          : "passed";
    m_gauge->SetValue(audit.cancelled ? 0 : m_gauge->GetRange());
    m_phase->SetLabel(audit.cancelled ? _("Cancelled.") : _("Done."));
    ShowVerdict();
}

void VerifyPanel::ShowVerdict()
{
    if (m_verdict.empty()) return;
    if (m_verdict == "passed") {
        m_banner->SetLabel(wxString::Format(_("All %zu checks passed."), m_checks_total));
        m_banner->SetBackgroundColour(PassColour());
    } else if (m_verdict == "open") {
        m_banner->SetLabel(wxString::Format(_("All %zu checks passed, but the poll of a ballot box is still open: "
                                              "these files are not final, and the tally will refuse them."),
                                            m_checks_total));
        m_banner->SetBackgroundColour(PendingColour());
    } else if (m_verdict == "failed") {
        m_banner->SetLabel(wxString::Format(_("VERIFICATION FAILED: %zu of %zu checks failed. Do not accept these "
                                              "files; the red lines say what is wrong."),
                                            m_checks_total - m_checks_passed, m_checks_total));
        m_banner->SetBackgroundColour(FailColour());
    } else {
        m_banner->SetLabel(_("The verification was cancelled: nothing is proven."));
        m_banner->SetBackgroundColour(PendingColour());
    }
    m_banner->Show();
    Layout();
}

}  // namespace pingyi::admin
