#include "core/catalog.hpp"

#include <cstdint>
#include <vector>

#include "core/file_io.hpp"

namespace pingyi {
namespace {

constexpr std::uint32_t kMagic = 0x950412de;

}  // namespace

Result<Catalog> Catalog::Parse(std::string_view mo)
{
    const auto bad = [] { return MakeError("catalog.format", "not a gettext .mo catalog"); };
    if (mo.size() < 28) return bad();
    const auto u32 = [&](std::size_t at, bool swap) -> std::uint32_t {
        const auto b = [&](std::size_t i) {
            return static_cast<std::uint32_t>(static_cast<unsigned char>(mo[at + i]));
        };
        return swap ? (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)
                    : b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
    };
    bool swap = false;
    if (u32(0, false) != kMagic) {
        if (u32(0, true) != kMagic) return bad();
        swap = true;
    }
    const std::uint64_t n = u32(8, swap), originals = u32(12, swap), translations = u32(16, swap);
    if (originals + n * 8 > mo.size() || translations + n * 8 > mo.size()) return bad();
    Catalog c;
    for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t olen = u32(originals + i * 8, swap), ooff = u32(originals + i * 8 + 4, swap);
        const std::uint64_t tlen = u32(translations + i * 8, swap), toff = u32(translations + i * 8 + 4, swap);
        if (ooff + olen > mo.size() || toff + tlen > mo.size()) return bad();
        std::string_view id = mo.substr(ooff, olen), str = mo.substr(toff, tlen);
        // Plural entries hold "singular\0plural": the console uses the singular only.
        id = id.substr(0, id.find('\0'));
        str = str.substr(0, str.find('\0'));
        if (!id.empty() && !str.empty()) c.m_map.emplace(std::string(id), std::string(str));
    }
    return c;
}

Result<Catalog> Catalog::Load(const std::filesystem::path& mo_file)
{
    auto bytes = ReadWholeFile(mo_file, FileKind::kCatalog);
    if (!bytes) return bytes.error();
    return Parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

std::string Catalog::Translate(std::string_view msgid) const
{
    if (auto it = m_map.find(msgid); it != m_map.end()) return it->second;
    return std::string(msgid);
}

Catalog FindCatalog(std::string_view domain, std::string_view lang, const std::filesystem::path& exe_dir,
                    const std::filesystem::path& build_dir)
{
    const std::filesystem::path rel =
        std::filesystem::path(std::string(lang)) / "LC_MESSAGES" / (std::string(domain) + ".mo");
    std::vector<std::filesystem::path> roots;
    if (!exe_dir.empty()) {
        roots.push_back(exe_dir / "locale");
        roots.push_back(exe_dir.parent_path() / "share" / "locale");
    }
    if (!build_dir.empty()) roots.push_back(build_dir);
    for (const auto& root : roots) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(root / rel, ec)) continue;
        if (auto c = Catalog::Load(root / rel)) return std::move(c).value();
    }
    return {};
}

}  // namespace pingyi
