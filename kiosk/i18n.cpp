#include "kiosk/i18n.hpp"

#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/translation.h>

#include "core/error_codes.hpp"
#include "core/messages.hpp"

namespace pingyi::kiosk {

void AddCatalogLookupPaths(const wxString& program_path)
{
    const wxFileName program(program_path);
    const wxString dir = program.GetPath();
    if (!dir.empty()) {
        wxFileTranslationsLoader::AddCatalogLookupPathPrefix(dir + wxFILE_SEP_PATH + "locale");
        wxFileTranslationsLoader::AddCatalogLookupPathPrefix(dir + wxFILE_SEP_PATH + ".." + wxFILE_SEP_PATH + "share" +
                                                             wxFILE_SEP_PATH + "locale");
    }
#ifdef PINGYI_BUILD_LOCALE_DIR
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString::FromUTF8(PINGYI_BUILD_LOCALE_DIR));
#endif
}

bool UseLanguage(Language language)
{
    auto* translations = new wxTranslations;
    wxTranslations::Set(translations);  // takes ownership, frees the previous one
    translations->SetLanguage(language == Language::Chinese ? "zh_CN" : "en");
    // The msgids are English, so English needs no catalog to be complete.
    const bool kiosk = translations->AddCatalog("pingyi-kiosk", wxLANGUAGE_ENGLISH_US);
    const bool core =
        translations->AddCatalog(wxString::FromUTF8(kCoreCatalog.data(), kCoreCatalog.size()), wxLANGUAGE_ENGLISH_US);
    if (language == Language::Chinese && (!kiosk || !core)) {
        wxLogWarning("The Chinese catalogs (pingyi-kiosk.mo, pingyi-core.mo) were not found: showing English.");
        return false;
    }
    return true;
}

wxString ErrorText(const Error& error)
{
    // The only secret the kiosk asks for is the operator PIN: name only that.
    if (error.code == err::kKeyfilePassphrase) return _("The PIN is wrong. Please try again.");
    const std::string_view msgid = ErrorMessageId(error.code);
    return wxGetTranslation(wxString::FromUTF8(msgid.data(), msgid.size()),
                            wxString::FromUTF8(kCoreCatalog.data(), kCoreCatalog.size()));
}

wxString OptionGloss(const std::string& option, Language language)
{
    if (language != Language::English) return {};
    // The default options of 民主评议党员 (core DefaultOptions); others are shown as written.
    if (option == "优秀") return _("Excellent");
    if (option == "合格") return _("Qualified");
    if (option == "基本合格") return _("Basically qualified");
    if (option == "不合格") return _("Not qualified");
    if (option == "不了解") return _("Don't know");
    return {};
}

}  // namespace pingyi::kiosk
