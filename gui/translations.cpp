#include "gui/translations.hpp"

#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/translation.h>

#include "core/messages.hpp"
#include "gui/text.hpp"

namespace pingyi::gui {

void AddCatalogLookupPaths(const wxString& program_dir)
{
    if (!program_dir.empty()) {
        wxFileTranslationsLoader::AddCatalogLookupPathPrefix(program_dir + wxFILE_SEP_PATH + "locale");
        wxFileTranslationsLoader::AddCatalogLookupPathPrefix(program_dir + wxFILE_SEP_PATH + ".." + wxFILE_SEP_PATH +
                                                             "share" + wxFILE_SEP_PATH + "locale");
    }
#ifdef PINGYI_BUILD_LOCALE_DIR
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString::FromUTF8(PINGYI_BUILD_LOCALE_DIR));
#endif
}

bool InstallTranslations(const wxString& language, const wxString& domain, WxCatalog wx_catalog)
{
    auto* translations = new wxTranslations;
    wxTranslations::Set(translations);  // takes ownership, frees the previous one
    translations->SetLanguage(language);
    if (wx_catalog == WxCatalog::kWith) translations->AddStdCatalog();
    const bool own = translations->AddCatalog(domain, wxLANGUAGE_ENGLISH_US);
    const bool core = translations->AddCatalog(U8(kCoreCatalog), wxLANGUAGE_ENGLISH_US);
    return own && core;
}

wxString CoreText(std::string_view msgid)
{
    return wxGetTranslation(U8(msgid), U8(kCoreCatalog));
}

}  // namespace pingyi::gui
