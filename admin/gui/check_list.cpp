#include "admin/gui/check_list.hpp"

#include <map>

#include "admin/gui/gui_common.hpp"
#include "admin/gui/i18n.hpp"

namespace pingyi::admin {
namespace {

const char* const kPackageChecks[] = {"package.signature", "package.key_proof"};
const char* const kBoxChecks[] = {"box.read",  "box.package", "box.open",   "box.ballots", "box.signatures",
                                  "box.state", "box.close",   "box.events", "box.codes"};
// boxes.registered is listed only when run (pingyi-admin takes no expected devices yet).
const char* const kAllBoxesChecks[] = {"ballots.proofs", "boxes.kiosks", "ballots.unique"};
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
        rows.push_back({l.id, !l.ok ? State::Fail : l.open ? State::Open : State::Pass, l.detail});
        --expected[l.id];
    }
    for (const auto& r : m_rows)
        if (expected[r.id]-- > 0) rows.push_back({r.id, State::Skipped, {}});
    m_rows = std::move(rows);
    Redraw();
}

std::string CheckList::RowState(long i) const
{
    if (i < 0 || static_cast<std::size_t>(i) >= m_rows.size()) return {};
    switch (m_rows[static_cast<std::size_t>(i)].state) {
        case State::Pass:
            return "pass";
        case State::Open:
            return "open";
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
                r.state == State::Skipped ? _("an earlier check failed or the run was cancelled")
                                          : LineNumbersInWords(r.detail));
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

}  // namespace pingyi::admin
