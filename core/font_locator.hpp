// Finds the TrueType font that PDF slips and reports embed (see assets/fonts/README.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "crypto/result.hpp"

namespace pingyi {

// The shipped font's file name: AR PL SungtiL GB (GB 2312 + ASCII).
inline constexpr const char* kDefaultFontFileName = "gbsn00lp.ttf";

// The places LocateFont() looks, in order:
//   1. `explicit_font`, if not empty;
//   2. the file named by the environment variable PINGYI_FONT, if set and not empty;
//   3. <directory of the running executable>/../share/pingyi/fonts/gbsn00lp.ttf;
//   4. <source tree>/assets/fonts/gbsn00lp.ttf (development builds);
//   5. /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf (Debian fonts-arphic-gbsn00lp).
[[nodiscard]] std::vector<std::filesystem::path> FontSearchPath(const std::filesystem::path& explicit_font = {});

// The first existing regular file of FontSearchPath(). An explicit path or PINGYI_FONT
// that names a missing file is an error, not a reason to fall back: the user asked for
// that font. Error code "pdf.font"; the detail lists where it looked.
[[nodiscard]] Result<std::filesystem::path> LocateFont(const std::filesystem::path& explicit_font = {});

// Fonts for the characters the main font lacks (CJK Extension A, GBK-only characters,
// Extension B): HanaMinA (the BMP) and HanaMinB (plane 2, written through an offset; see
// core/pdf.cpp), Debian fonts-hanazono, Hanazono Font License (free use, copying and
// redistribution, embedding allowed). Each is looked for in
//   1. <directory of the running executable>/../share/pingyi/fonts/;
//   2. <source tree>/assets/fonts/ (development builds);
//   3. /usr/share/fonts/truetype/hanazono/.
// Only those found are returned; a missing one means its characters print as 〓 and are
// refused at roster import.
struct FallbackFont {
    std::filesystem::path path;
    std::uint32_t plane_offset = 0;  // 0: BMP font; else code points plane_offset + code
};
inline constexpr std::uint32_t kPlane2FontOffset = 0x1F000;
[[nodiscard]] std::vector<FallbackFont> LocateFallbackFonts();

// The directory holding the running executable, or empty if it cannot be determined.
[[nodiscard]] std::filesystem::path ExecutableDir();

}  // namespace pingyi
