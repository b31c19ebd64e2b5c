#include "kiosk/i18n.hpp"

#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/log.h>

#include "core/error_codes.hpp"
#include "core/messages.hpp"
#include "gui/translations.hpp"

namespace pingyi::kiosk {

void AddCatalogLookupPaths(const wxString& program_path)
{
    gui::AddCatalogLookupPaths(wxFileName(program_path).GetPath());
}

bool UseLanguage(Language language)
{
    const bool found = gui::InstallTranslations(language == Language::Chinese ? "zh_CN" : "en", "pingyi-kiosk",
                                                gui::WxCatalog::kWithout);
    if (language == Language::Chinese && !found) {
        wxLogWarning("The Chinese catalogs (pingyi-kiosk.mo, pingyi-core.mo) were not found: showing English.");
        return false;
    }
    return true;
}

wxString ErrorText(const Error& error)
{
    // The only secret the kiosk asks for is the operator PIN: name only that.
    if (error.code == err::kKeyfilePassphrase) return _("The PIN is wrong. Please try again.");
    return gui::CoreText(ErrorMessageId(error.code));
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
