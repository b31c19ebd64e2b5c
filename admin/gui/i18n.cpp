#include "admin/gui/i18n.hpp"

#include <wx/datetime.h>
#include <wx/intl.h>
#include <wx/translation.h>

#include <cstdio>
#include <map>
#include <regex>
#include <string>

#include "admin/gui/gui_common.hpp"
#include "core/font_locator.hpp"
#include "core/json_input.hpp"
#include "core/messages.hpp"
#include "gui/translations.hpp"

namespace pingyi::admin {
namespace {

Language g_language = Language::Chinese;

void AddLookupPaths()
{
    static bool done = false;
    if (done) return;
    done = true;
    gui::AddCatalogLookupPaths(FromPath(ExecutableDir()));
}

}  // namespace

void InstallLanguage(Language lang)
{
    AddLookupPaths();
    g_language = lang;
    gui::InstallTranslations(lang == Language::Chinese ? "zh_CN" : "en", "pingyi-admin", gui::WxCatalog::kWith);
}

Language CurrentLanguage()
{
    return g_language;
}

wxString ErrorMessage(const Error& error)
{
    // The admin tool's own codes (the console's and this tool's), then the core's.
    static const std::map<std::string, const char*> own = {
        {"passphrase.weak", wxTRANSLATE("The passphrase must have at least 8 characters.")},
        {"passphrase.mismatch", wxTRANSLATE("The two passphrases differ. Type the same passphrase twice.")},
        {"file.read",
         wxTRANSLATE("A file could not be read. Check that it exists and that the USB stick is still plugged in.")},
        {"file.write",
         wxTRANSLATE(
             "A file could not be written. Check that the folder exists, the USB stick is not write-protected and "
             "the disk is not full.")},
        {"output.exists", wxTRANSLATE("This folder already holds an election. Choose an empty folder, so that no key "
                                      "or package is overwritten.")},
        {"output.folder", wxTRANSLATE("The folder could not be created. Choose another place.")},
        {"keys.missing",
         wxTRANSLATE(
             "The key files election-key.pyk and admin-key.pyk are not in the chosen key folder. Choose the folder "
             "where the evaluation was created.")},
        {"results.missing",
         wxTRANSLATE("There are no saved results (results.json) in the results folder yet. Tally first.")},
        {"tally.verify",
         wxTRANSLATE(
             "The files did not pass verification, so nothing was decrypted. The red lines in the list show what "
             "failed.")},
        {"tally.open_box",
         wxTRANSLATE(
             "This ballot box is a backup taken during voting: its poll was not closed. Close the poll at the kiosk, "
             "export the ballot box again and tally that copy. Nothing was decrypted.")},
        // pingyi-admin asks for passphrases only (a PIN is the kiosk's).
        {"keyfile.passphrase", wxTRANSLATE("The passphrase is wrong. Please try again.")},
        {"tally.key",
         wxTRANSLATE("These key files belong to another evaluation. Choose the keys made with this package.")},
        {"tally.dlog", wxTRANSLATE("The sums did not decrypt to vote counts: the key or the ballot boxes are wrong.")},
        {"tally.cancelled", wxTRANSLATE("The tally was cancelled. Nothing was saved.")},
        {"create.cancelled", wxTRANSLATE("Cancelled. No file was written.")},
        {"verify.cancelled", wxTRANSLATE("The verification was cancelled.")},
        {"tally.too_few",
         wxTRANSLATE("Too few ballots to show any result without revealing how someone voted (minimum group size).")},
        {"decisions.format", wxTRANSLATE("The saved final grades (decisions.json) are damaged and were not loaded.")},
        {"decisions.election", wxTRANSLATE("The saved final grades (decisions.json) belong to another evaluation.")},
        {"report.input", wxTRANSLATE("The report could not be made from these results.")},
        {"report.write", wxTRANSLATE("The report could not be written. Check the folder and the free space.")},
    };
    if (auto it = own.find(error.code); it != own.end()) return wxGetTranslation(it->second);
    return gui::CoreText(ErrorMessageId(error.code));
}

wxString EventName(std::string_view event, bool ok)
{
    static const std::map<std::string, const char*, std::less<>> names = {
        {"poll_opened", wxTRANSLATE("Poll opened")},
        {"poll_resumed", wxTRANSLATE("Kiosk restarted, poll resumed")},
        {"code_rejected", wxTRANSLATE("Voting code refused")},
        {"ballot_discarded", wxTRANSLATE("Ballot given up (not cast)")},
        {"poll_closed", wxTRANSLATE("Poll closed")},
        {"box_exported", wxTRANSLATE("Ballot box exported")},
        {"ballot_spoiled", wxTRANSLATE("Ballot checked by the tellers (not counted)")},
    };
    if (event == "check_mode") return _("Check mode switched");
    if (event == "operator_login") return ok ? _("Operator login") : _("Operator login refused (wrong PIN)");
    if (auto it = names.find(event); it != names.end()) return wxGetTranslation(it->second);
    return wxString::FromUTF8(std::string(event));
}

wxString EventDetail(const nlohmann::json& body)
{
    static const std::map<std::string, const char*, std::less<>> reasons = {
        {"format", wxTRANSLATE("not a voting code")},
        {"unknown", wxTRANSLATE("no such code")},
        {"used", wxTRANSLATE("already used")},
        {"other_kiosk", wxTRANSLATE("a code of another kiosk")},
        {"cancelled", wxTRANSLATE("given up by the voter")},
        {"timeout", wxTRANSLATE("no activity")},
    };
    if (body.contains("reason") && body["reason"].is_string()) {
        const auto r = body["reason"].get<std::string>();
        if (auto it = reasons.find(r); it != reasons.end()) return wxGetTranslation(it->second);
        return wxString::FromUTF8(r);
    }
    if (body.contains("on") && body["on"].is_boolean()) return body["on"] == true ? _("on") : _("off");
    // A checked ballot's record holds the ballot and its nonces: listed with its choices below.
    if (body.contains("nonces")) return _("see the checked ballots");
    if (const auto n = body.contains("ballots") ? IntegerValue<std::uint64_t>(body["ballots"]) : std::nullopt)
        return wxString::Format(_("%llu ballots"), static_cast<unsigned long long>(*n));
    if (const auto k = body.contains("kiosk") ? IntegerValue<std::uint32_t>(body["kiosk"]) : std::nullopt)
        return wxString::Format(_("kiosk %u"), static_cast<unsigned>(*k));
    return wxString();
}

wxString CheckName(std::string_view id)
{
    static const std::map<std::string, const char*, std::less<>> names = {
        {"package.format", wxTRANSLATE("Election package readable")},
        {"package.signature", wxTRANSLATE("Election package signature")},
        {"package.key_proof", wxTRANSLATE("Election key proof")},
        {"package.trustees", wxTRANSLATE("Trustees' keys (k of n)")},
        {"boxes.present", wxTRANSLATE("Ballot boxes given")},
        {"box.read", wxTRANSLATE("Ballot box readable")},
        {"box.package", wxTRANSLATE("Box belongs to this evaluation")},
        {"box.open", wxTRANSLATE("Poll opening record")},
        {"box.ballots", wxTRANSLATE("Each ballot stored under its own hash")},
        {"box.state", wxTRANSLATE("Signed ballot count and set (nothing added or removed)")},
        {"box.signatures", wxTRANSLATE("Kiosk signatures")},
        {"box.close", wxTRANSLATE("Poll closing record")},
        {"box.events", wxTRANSLATE("Kiosk event log (signed, kept whole)")},
        {"box.codes", wxTRANSLATE("Used codes match the ballots")},
        {"ballots.proofs", wxTRANSLATE("Every ballot well-formed (proofs)")},
        {"boxes.kiosks", wxTRANSLATE("Boxes from distinct kiosks")},
        {"boxes.registered", wxTRANSLATE("Kiosks registered at the meeting")},
        {"boxes.complete", wxTRANSLATE("A box from every kiosk")},
        {"ballots.unique", wxTRANSLATE("No ballot copied")},
        {"ballots.spoiled", wxTRANSLATE("Checked ballots open without a key (never counted)")},
        {"results.read", wxTRANSLATE("Results file readable")},
        {"results.format", wxTRANSLATE("Results file format")},
        {"results.signature", wxTRANSLATE("Results signature")},
        {"results.boxes", wxTRANSLATE("Results are of these boxes")},
        {"results.attendance", wxTRANSLATE("Codes issued and used")},
        {"results.groups", wxTRANSLATE("Tally groups")},
        {"results.min_group", wxTRANSLATE("Minimum group size (anonymity)")},
        {"results.aggregates", wxTRANSLATE("Sums equal the ballots")},
        {"results.decryption", wxTRANSLATE("Decryption proofs")},
        {"results.trustees", wxTRANSLATE("Who could decrypt (trustees)")},
        {"results.partials", wxTRANSLATE("Trustees' partial decryptions")},
        {"results.combination", wxTRANSLATE("Counts combine from the partials")},
    };
    if (auto it = names.find(id); it != names.end()) return wxGetTranslation(it->second);
    return U8(id);
}

wxString LocalTimeInWords(std::string_view utc)
{
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    char z = 0;
    const std::string text(utc);
    if (text.size() != 20 ||
        std::sscanf(text.c_str(), "%4u-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 || z != 'Z' ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
        return U8(text);
    wxDateTime t(static_cast<wxDateTime::wxDateTime_t>(d), static_cast<wxDateTime::Month>(mo - 1), static_cast<int>(y),
                 static_cast<wxDateTime::wxDateTime_t>(h), static_cast<wxDateTime::wxDateTime_t>(mi),
                 static_cast<wxDateTime::wxDateTime_t>(sec));
    if (!t.IsValid()) return U8(text);
    t.MakeFromTimezone(wxDateTime::UTC);  // the fields were UTC; t is now that instant
    // The local fields are put into a translated pattern by hand: strftime with a non-ASCII
    // format is read in the C runtime's code page on Windows and garbles "年".
    const wxDateTime::Tm local = t.GetTm(wxDateTime::Local);
    // TRANSLATORS: a date and time in local time: year, month, day, hour, minute, second.
    return wxString::Format(_("%04d-%02d-%02d %02d:%02d:%02d"), local.year, local.mon + 1, local.mday, local.hour,
                            local.min, local.sec);
}

wxString InWords(const Phrase& phrase)
{
    return U8(phrase.Render([](std::string_view msgid) { return ToU8(gui::CoreText(msgid)); }));
}

wxString DetailInWords(std::string_view detail)
{
    static const std::regex line_re(R"(\b(?:line|row) (\d+))");
    static const std::regex quoted_re(R"re("([^"]*)")re");
    const std::string s(detail);
    wxString out;
    std::smatch m;
    if (std::regex_search(s, m, line_re)) out = wxString::Format(_("line %s"), U8(m[1].str()));
    wxString quoted;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), quoted_re); it != std::sregex_iterator(); ++it)
        // TRANSLATORS: text quoted from the user's file, e.g. “部门”.
        quoted += (quoted.empty() ? wxString() : _(", ")) + wxString::Format(_("“%s”"), U8((*it)[1].str()));
    if (!quoted.empty()) out += (out.empty() ? wxString() : _(": ")) + quoted;
    return out;
}

}  // namespace pingyi::admin
