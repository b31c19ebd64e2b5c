#include "core/font_locator.hpp"

#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#endif

namespace pingyi {

namespace fs = std::filesystem;

namespace {

bool IsRegularFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

fs::path EnvFont()
{
    const char* env = std::getenv("PINGYI_FONT");  // NOLINT(concurrency-mt-unsafe)
    if (env == nullptr || *env == '\0') {
        return {};
    }
    return fs::path(env);
}

}  // namespace

fs::path ExecutableDir()
{
#ifdef _WIN32
    std::wstring buf(MAX_PATH, L'\0');
    for (;;) {
        const DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
        if (n == 0) {
            return {};
        }
        if (n < buf.size()) {
            buf.resize(n);
            return fs::path(buf).parent_path();
        }
        buf.resize(buf.size() * 2);
    }
#else
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    return exe.parent_path();
#endif
}

std::vector<fs::path> FontSearchPath(const fs::path& explicit_font)
{
    std::vector<fs::path> out;
    if (!explicit_font.empty()) {
        out.push_back(explicit_font);
    }
    if (fs::path env = EnvFont(); !env.empty()) {
        out.push_back(std::move(env));
    }
    if (const fs::path exe_dir = ExecutableDir(); !exe_dir.empty()) {
        out.push_back(exe_dir / ".." / "share" / "pingyi" / "fonts" / kDefaultFontFileName);
    }
#ifdef PINGYI_SOURCE_DIR
    out.push_back(fs::path(PINGYI_SOURCE_DIR) / "assets" / "fonts" / kDefaultFontFileName);
#endif
    out.emplace_back("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf");
    return out;
}

Result<fs::path> LocateFont(const fs::path& explicit_font)
{
    if (!explicit_font.empty()) {
        if (!IsRegularFile(explicit_font)) {
            return MakeError("pdf.font", "font file not found: " + explicit_font.string());
        }
        return explicit_font;
    }
    if (const fs::path env = EnvFont(); !env.empty()) {
        if (!IsRegularFile(env)) {
            return MakeError("pdf.font", "font file named by PINGYI_FONT not found: " + env.string());
        }
        return env;
    }
    std::string looked;
    for (const fs::path& candidate : FontSearchPath()) {
        if (IsRegularFile(candidate)) {
            return candidate.lexically_normal();
        }
        looked += (looked.empty() ? "" : ", ") + candidate.string();
    }
    return MakeError("pdf.font", "no Chinese font found (looked for " + looked +
                                     "); install it or set PINGYI_FONT to a TrueType font such as " +
                                     kDefaultFontFileName);
}

std::vector<FallbackFont> LocateFallbackFonts()
{
    std::vector<fs::path> dirs;
    if (const fs::path exe_dir = ExecutableDir(); !exe_dir.empty()) {
        dirs.push_back(exe_dir / ".." / "share" / "pingyi" / "fonts");
    }
#ifdef PINGYI_SOURCE_DIR
    dirs.push_back(fs::path(PINGYI_SOURCE_DIR) / "assets" / "fonts");
#endif
    dirs.emplace_back("/usr/share/fonts/truetype/hanazono");
    std::vector<FallbackFont> out;
    for (const auto& [file, offset] : {std::pair<const char*, std::uint32_t>{"HanaMinA.ttf", 0},
                                       std::pair<const char*, std::uint32_t>{"HanaMinB.ttf", kPlane2FontOffset}}) {
        for (const fs::path& dir : dirs) {
            if (IsRegularFile(dir / file)) {
                out.push_back({dir / file, offset});
                break;
            }
        }
    }
    return out;
}

}  // namespace pingyi
