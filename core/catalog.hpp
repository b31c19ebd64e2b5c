// A compiled gettext catalog (.mo file) read without a translation library, for the console:
// the GUIs translate through wxTranslations, the console `pingyi` through this reader, so
// that check lines and messages follow the reader's language there too (core/phrase.hpp).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "crypto/result.hpp"

namespace pingyi {

class Catalog {
  public:
    Catalog() = default;  // empty: every msgid is its own translation

    // Parses a .mo file (either byte order). Refuses a file that is not one, or whose
    // tables point outside it; a catalog is not trusted input, but it is not secret either.
    static Result<Catalog> Parse(std::string_view mo);
    static Result<Catalog> Load(const std::filesystem::path& mo_file);

    // The translation of `msgid`, or `msgid` itself when the catalog has none.
    [[nodiscard]] std::string Translate(std::string_view msgid) const;
    [[nodiscard]] std::size_t size() const { return m_map.size(); }

  private:
    std::map<std::string, std::string, std::less<>> m_map;
};

// Where the console looks for <lang>/LC_MESSAGES/<domain>.mo: beside the executable
// (locale/, then ../share/locale/, as installed), then `build_dir` (the build tree's
// catalogs), in that order; an empty catalog when none is found.
[[nodiscard]] Catalog FindCatalog(std::string_view domain, std::string_view lang, const std::filesystem::path& exe_dir,
                                  const std::filesystem::path& build_dir);

}  // namespace pingyi
