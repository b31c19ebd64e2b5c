#include "gui/text.hpp"

#include <algorithm>

namespace pingyi::gui {

std::string ToU8(const wxString& s)
{
    const wxScopedCharBuffer b = s.utf8_str();
    return std::string(b.data(), b.length());
}

std::filesystem::path ToPath(const wxString& s)
{
#ifdef _WIN32
    return std::filesystem::path(s.ToStdWstring());
#else
    return std::filesystem::path(ToU8(s));
#endif
}

wxString FromPath(const std::filesystem::path& p)
{
#ifdef _WIN32
    return wxString(p.wstring());
#else
    return U8(p.string());
#endif
}

SecretBytes SecretFromWx(const wxString& s)
{
    wxScopedCharBuffer utf8 = s.utf8_str();
    SecretBytes out(AsBytes(std::string_view(utf8.data(), utf8.length())));
    std::fill(utf8.data(), utf8.data() + utf8.length(), '\0');
    return out;
}

}  // namespace pingyi::gui
