#include "admin/gui/check_list.hpp"

#include <map>

#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"
#include "core/device_list.hpp"

namespace pingyi::admin {
namespace {

const char* const kPackageChecks[] = {"package.signature", "package.key_proof"};
const char* const kBoxChecks[] = {"box.read",  "box.package", "box.open",   "box.ballots", "box.signatures",
                                  "box.state", "box.close",   "box.events", "box.codes"};
const char* const kAllBoxesChecks[] = {"ballots.proofs", "boxes.kiosks", "ballots.unique", "ballots.spoiled",
                                       "boxes.registered"};
const char* const kResultsChecks[] = {"results.signature",  "results.boxes",     "results.attendance",
                                      "results.groups",     "results.min_group", "results.aggregates",
                                      "results.decryption", "results.trustees"};

}  // namespace

CheckList::CheckList(wxWindow* parent, const wxString& name)
    : wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL | wxBORDER_THEME)
{
    SetName(name);
    AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(90));
    AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(300));
    AppendColumn(wxString(), wxLIST_FORMAT_LEFT, FromDIP(560));
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        // The detail column takes the rest of the width.
        const int rest = GetClientSize().x - GetColumnWidth(0) - GetColumnWidth(1) - FromDIP(4);
        if (rest > FromDIP(200)) SetColumnWidth(2, rest);
        e.Skip();
    });
    ApplyLabels();
}

void CheckList::ApplyLabels()
{
    SetListHeadings(this, {_("Result"), _("Check"), _("What was checked")});
    Redraw();
}

void CheckList::Reset()
{
    m_rows.clear();
    Redraw();
}

void CheckList::ShowPending(std::size_t boxes, bool with_results)
{
    m_rows.clear();
    for (const char* id : kPackageChecks)
        m_rows.push_back({id, State::Pending, {}});
    for (std::size_t b = 0; b < boxes; ++b)
        for (const char* id : kBoxChecks)
            m_rows.push_back({id, State::Pending, {}});
    for (const char* id : kAllBoxesChecks)
        m_rows.push_back({id, State::Pending, {}});
    if (with_results)
        for (const char* id : kResultsChecks)
            m_rows.push_back({id, State::Pending, {}});
    Redraw();
}

void CheckList::ShowReport(const VerifyReport& report)
{
    // The report's own lines, in its order; then whatever was expected but never reached.
    std::map<std::string, int> expected;
    for (const auto& r : m_rows)
        ++expected[r.id];
    std::vector<Row> rows;
    for (const auto& l : report.lines) {
        rows.push_back({l.id,
                        !l.ok       ? State::Fail
                        : l.open    ? State::Open
                        : l.warning ? State::Warning
                                    : State::Pass,
                        l.phrase});
        --expected[l.id];
    }
    for (const auto& r : m_rows)
        if (expected[r.id]-- > 0) rows.push_back({r.id, State::Skipped, {}});
    m_rows = std::move(rows);
    Redraw();
    // The first red line is what the secretary must read (else a warning): scroll it into view.
    for (const State wanted : {State::Fail, State::Warning})
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            if (m_rows[i].state == wanted) {
                EnsureVisible(static_cast<long>(i));
                return;
            }
}

std::string CheckList::RowState(long i) const
{
    if (i < 0 || static_cast<std::size_t>(i) >= m_rows.size()) return {};
    switch (m_rows[static_cast<std::size_t>(i)].state) {
        case State::Pass:
            return "pass";
        case State::Open:
            return "open";
        case State::Warning:
            return "warning";
        case State::Fail:
            return "fail";
        case State::Skipped:
            return "skipped";
        case State::Pending:
            break;
    }
    return "pending";
}

std::string CheckList::RowId(long i) const
{
    if (i < 0 || static_cast<std::size_t>(i) >= m_rows.size()) return {};
    return m_rows[static_cast<std::size_t>(i)].id;
}

void CheckList::Redraw()
{
    Freeze();
    DeleteAllItems();
    long i = 0;
    for (const auto& r : m_rows) {
        wxString status;
        wxColour colour;
        switch (r.state) {
            case State::Pass:
                status = _("Passed");
                colour = PassColour();
                break;
            case State::Open:
                // TRANSLATORS: a check that passed for a ballot box whose poll is not closed yet.
                status = _("Open");
                colour = PendingColour();
                break;
            case State::Warning:
                // TRANSLATORS: a check that passed but says what was not checked (no expected kiosks given).
                status = _("Warning");
                colour = WarningColour();
                break;
            case State::Fail:
                status = _("FAILED");
                colour = FailColour();
                break;
            case State::Skipped:
                status = _("Not checked");
                colour = PendingColour();
                break;
            case State::Pending:
                status = _("Waiting");
                colour = PendingColour();
                break;
        }
        InsertItem(i, status);
        SetItem(i, 1, CheckName(r.id));
        SetItem(i, 2,
                r.state == State::Skipped ? _("an earlier check failed or the run was cancelled") : InWords(r.detail));
        SetItemBackgroundColour(i, colour);
        ++i;
    }
    Thaw();
}

BoxList::BoxList(wxWindow* parent, const std::string& prefix) : wxPanel(parent, wxID_ANY)
{
    SetName(prefix + ".boxes");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_list = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(-1, FromDIP(60)));
    m_list->SetName(prefix + ".boxes.list");
    row->Add(m_list, 1, wxEXPAND);
    auto* buttons = new wxBoxSizer(wxVERTICAL);
    m_add = new wxButton(this, wxID_ANY, wxString());
    m_add->SetName(prefix + ".boxes.add");
    m_remove = new wxButton(this, wxID_ANY, wxString());
    m_remove->SetName(prefix + ".boxes.remove");
    buttons->Add(m_add, 0, wxEXPAND | wxBOTTOM, 4);
    buttons->Add(m_remove, 0, wxEXPAND);
    row->Add(buttons, 0, wxLEFT, 6);
    SetSizer(row);
    m_add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        for (const auto& p : Hooks().choose_files(this, _("Choose the ballot boxes (one per kiosk)"),
                                                  _("Ballot boxes (*.sqlite;*.pyb)|*.sqlite;*.pyb|All files|*")))
            Add(p);
    });
    m_remove->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int sel = m_list->GetSelection();
        if (sel == wxNOT_FOUND) return;
        m_paths.erase(m_paths.begin() + sel);
        Reload();
    });
    ApplyLabels();
}

void BoxList::ApplyLabels()
{
    m_add->SetLabel(_("Add box..."));
    m_remove->SetLabel(_("Remove"));
}

void BoxList::Add(const std::filesystem::path& p)
{
    for (const auto& q : m_paths)
        if (q == p) return;
    m_paths.push_back(p);
    Reload();
}

void BoxList::Clear()
{
    m_paths.clear();
    Reload();
}

void BoxList::Reload()
{
    m_list->Clear();
    for (const auto& p : m_paths)
        m_list->Append(FromPath(p));
    wxCommandEvent changed(wxEVT_TEXT, GetId());
    changed.SetEventObject(this);
    ProcessWindowEvent(changed);
}

DeviceField::DeviceField(wxWindow* parent, const std::string& prefix) : wxPanel(parent, wxID_ANY)
{
    SetName(prefix + ".devices_field");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    m_text = new wxTextCtrl(this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(-1, FromDIP(56)),
                            wxTE_MULTILINE | wxTE_DONTWRAP);
    m_text->SetName(prefix + ".devices");
    m_text->SetFont(wxFont(wxFontInfo(UiFont().GetPointSize()).Family(wxFONTFAMILY_TELETYPE)));
    row->Add(m_text, 1, wxEXPAND);
    m_load = new wxButton(this, wxID_ANY, wxString());
    m_load->SetName(prefix + ".devices.load");
    row->Add(m_load, 0, wxLEFT | wxALIGN_TOP, 6);
    SetSizer(row);
    m_load->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const auto files = Hooks().choose_files(this, _("Choose the list of kiosk device fingerprints"),
                                                _("Device lists (*.txt)|*.txt|All files|*"));
        if (!files.empty()) Load(files.front());
    });
    ApplyLabels();
}

void DeviceField::ApplyLabels()
{
    m_load->SetLabel(_("Load list..."));
    m_text->SetHint(_("One per line, as on the opening forms, e.g. 3f2a-91c0-5d7e-b814"));
    m_text->SetToolTip(
        _("The device-key fingerprint of each kiosk, written on the opening form (开箱记录) that the "
          "tellers signed when the kiosk was opened. A box from any other device fails. Left empty, "
          "the boxes are not checked against the kiosks."));
}

std::optional<std::vector<std::string>> DeviceField::Read()
{
    const std::string text = ToU8(m_text->GetValue());
    std::size_t line = 0;
    auto list = ParseDeviceList(AsBytes(text), &line);
    if (list) return std::move(list).value();
    if (list.error().code == "devices.empty") return std::vector<std::string>{};  // nothing typed
    if (line > 0) {
        const long from = m_text->XYToPosition(0, static_cast<long>(line - 1));
        if (from >= 0) m_text->SetSelection(from, from + m_text->GetLineLength(static_cast<long>(line - 1)));
    }
    m_text->SetFocus();
    ShowError(this, ErrorMessage(list.error()) + "\n" + wxString::Format(_("Expected kiosk devices, line %zu."), line),
              list.error());
    return std::nullopt;
}

bool DeviceField::Load(const std::filesystem::path& path)
{
    std::size_t line = 0;
    auto list = ReadDeviceList(path, &line);
    if (!list) {
        ShowError(
            this,
            ErrorMessage(list.error()) +
                (line > 0 ? "\n" + wxString::Format(_("%s, line %zu."), FromPath(path.filename()), line) : wxString()),
            list.error());
        return false;
    }
    // The entries as printed on the opening form, whatever the file's form.
    wxString text = "# " + FromPath(path.filename()) + "\n";
    for (const std::string& hex : *list) {
        std::string shown;
        for (std::size_t i = 0; i < hex.size(); ++i)
            shown += (i > 0 && i % 4 == 0 && hex.size() == 16 ? "-" : "") + std::string(1, hex[i]);
        text += U8(shown) + "\n";
    }
    m_text->ChangeValue(text);
    return true;
}

}  // namespace pingyi::admin
