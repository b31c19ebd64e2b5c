#include "core/xlsx_reader.hpp"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include <expat.h>
#include <unzip.h>

#include "core/text_encoding.hpp"

namespace pingyi {
namespace {

constexpr std::size_t kMaxExcelRow = 1048576;
constexpr std::size_t kMaxExcelColumn = 16384;  // XFD
constexpr double kMaxExactInteger = 1e15;       // below 2^53, and Excel keeps 15 digits

// ---- zip archive in memory --------------------------------------------------------------

struct MemoryFile {
    ByteView data;
    std::uint64_t pos = 0;
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const void* /*filename*/, int mode)
{
    if ((mode & ZLIB_FILEFUNC_MODE_WRITE) != 0) {
        return nullptr;
    }
    return opaque;
}

uLong ZCALLBACK MemRead(voidpf /*opaque*/, voidpf stream, void* buf, uLong size)
{
    auto* file = static_cast<MemoryFile*>(stream);
    if (file->pos >= file->data.size()) {
        return 0;
    }
    const std::uint64_t left = file->data.size() - file->pos;
    const std::uint64_t n = size < left ? size : left;
    std::memcpy(buf, file->data.data() + file->pos, static_cast<std::size_t>(n));
    file->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK MemWrite(voidpf /*opaque*/, voidpf /*stream*/, const void* /*buf*/, uLong /*size*/)
{
    return 0;
}

ZPOS64_T ZCALLBACK MemTell(voidpf /*opaque*/, voidpf stream)
{
    return static_cast<MemoryFile*>(stream)->pos;
}

long ZCALLBACK MemSeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin)
{
    auto* file = static_cast<MemoryFile*>(stream);
    const std::uint64_t size = file->data.size();
    std::uint64_t base = 0;
    switch (origin) {
        case ZLIB_FILEFUNC_SEEK_SET:
            base = 0;
            break;
        case ZLIB_FILEFUNC_SEEK_CUR:
            base = file->pos;
            break;
        case ZLIB_FILEFUNC_SEEK_END:
            base = size;
            break;
        default:
            return -1;
    }
    if (offset > size || base > size - offset) {
        return -1;
    }
    file->pos = base + offset;
    return 0;
}

int ZCALLBACK MemClose(voidpf /*opaque*/, voidpf /*stream*/)
{
    return 0;
}

int ZCALLBACK MemError(voidpf /*opaque*/, voidpf /*stream*/)
{
    return 0;
}

struct UnzCloser {
    void operator()(void* zf) const { unzClose(static_cast<unzFile>(zf)); }
};
using UnzPtr = std::unique_ptr<void, UnzCloser>;

class ZipArchive {
  public:
    // Keeps a pointer to `data`, which must outlive the archive.
    static std::optional<ZipArchive> Open(ByteView data)
    {
        ZipArchive archive;
        archive.m_file = std::make_unique<MemoryFile>();
        archive.m_file->data = data;
        zlib_filefunc64_def funcs{};
        funcs.zopen64_file = MemOpen;
        funcs.zread_file = MemRead;
        funcs.zwrite_file = MemWrite;
        funcs.ztell64_file = MemTell;
        funcs.zseek64_file = MemSeek;
        funcs.zclose_file = MemClose;
        funcs.zerror_file = MemError;
        funcs.opaque = archive.m_file.get();
        unzFile zf = unzOpen2_64("memory", &funcs);
        if (zf == nullptr) {
            return std::nullopt;
        }
        archive.m_zip.reset(zf);
        return archive;
    }

    // The uncompressed bytes of entry `name` (case-insensitive), nullopt if there is none.
    Result<std::optional<std::string>> Read(const std::string& name, std::size_t max_bytes)
    {
        unzFile zf = m_zip.get();
        if (unzLocateFile(zf, name.c_str(), /*iCaseSensitivity=*/2) != UNZ_OK) {
            return std::optional<std::string>();
        }
        unz_file_info64 info{};
        if (unzGetCurrentFileInfo64(zf, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
            return MakeError("xlsx.zip", name + ": unreadable zip entry");
        }
        if ((info.flag & 1u) != 0) {
            return MakeError("xlsx.zip", name + ": encrypted zip entry");
        }
        if (unzOpenCurrentFile(zf) != UNZ_OK) {
            return MakeError("xlsx.zip", name + ": unsupported or damaged zip entry");
        }
        std::string out;
        char buf[16384];
        for (;;) {
            const int n = unzReadCurrentFile(zf, buf, sizeof buf);
            if (n < 0) {
                unzCloseCurrentFile(zf);
                return MakeError("xlsx.zip", name + ": damaged compressed data");
            }
            if (n == 0) {
                break;
            }
            if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
                unzCloseCurrentFile(zf);
                return MakeError("xlsx.too_large", name + ": more than " + std::to_string(max_bytes) + " bytes");
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        const int closed = unzCloseCurrentFile(zf);
#ifdef PINGYI_FUZZ_IGNORE_ZIP_CRC
        // Lets the fuzzer mutate the XML inside stored entries.
        const bool crc_failed = closed != UNZ_OK && closed != UNZ_CRCERROR;
#else
        const bool crc_failed = closed != UNZ_OK;
#endif
        if (crc_failed) {
            return MakeError("xlsx.zip", name + ": checksum mismatch");
        }
        return std::optional<std::string>(std::move(out));
    }

  private:
    ZipArchive() = default;
    std::unique_ptr<MemoryFile> m_file;
    UnzPtr m_zip;
};

// ---- XML ----------------------------------------------------------------------------------

constexpr char kNamespaceSeparator = '|';

std::string_view LocalName(const char* name)
{
    const std::string_view n(name);
    const auto bar = n.rfind(kNamespaceSeparator);
    return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

// An attribute by local name; `namespaced` selects r:id (in a namespace) over a plain id.
const char* Attribute(const char** attrs, std::string_view local, bool namespaced = false)
{
    for (std::size_t i = 0; attrs[i] != nullptr; i += 2) {
        const std::string_view n(attrs[i]);
        const bool has_ns = n.find(kNamespaceSeparator) != std::string_view::npos;
        if (has_ns == namespaced && LocalName(attrs[i]) == local) {
            return attrs[i + 1];
        }
    }
    return nullptr;
}

class XmlHandler {
  public:
    virtual ~XmlHandler() = default;
    // Return false to stop with Failure().
    virtual bool Start(std::string_view name, const char** attrs) = 0;
    virtual bool End(std::string_view name) = 0;
    virtual void Text(std::string_view /*text*/) {}
    [[nodiscard]] const std::string& Failure() const { return m_failure; }

  protected:
    bool Fail(std::string what)
    {
        m_failure = std::move(what);
        return false;
    }

  private:
    std::string m_failure;
};

struct ExpatFree {
    void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

struct ParseContext {
    XML_Parser parser = nullptr;
    XmlHandler* handler = nullptr;
    std::string failure;
};

void XMLCALL OnStart(void* user, const XML_Char* name, const XML_Char** attrs)
{
    auto* ctx = static_cast<ParseContext*>(user);
    if (!ctx->handler->Start(LocalName(name), attrs)) {
        ctx->failure = ctx->handler->Failure();
        XML_StopParser(ctx->parser, XML_FALSE);
    }
}

void XMLCALL OnEnd(void* user, const XML_Char* name)
{
    auto* ctx = static_cast<ParseContext*>(user);
    if (!ctx->handler->End(LocalName(name))) {
        ctx->failure = ctx->handler->Failure();
        XML_StopParser(ctx->parser, XML_FALSE);
    }
}

void XMLCALL OnText(void* user, const XML_Char* s, int len)
{
    auto* ctx = static_cast<ParseContext*>(user);
    ctx->handler->Text(std::string_view(s, static_cast<std::size_t>(len)));
}

// OOXML parts never carry a DTD; refusing one rules out entity expansion attacks.
void XMLCALL OnDoctype(void* user, const XML_Char* /*name*/, const XML_Char* /*sysid*/, const XML_Char* /*pubid*/,
                       int /*has_internal_subset*/)
{
    auto* ctx = static_cast<ParseContext*>(user);
    ctx->failure = "document type declarations are not allowed";
    XML_StopParser(ctx->parser, XML_FALSE);
}

Status ParseXml(const std::string& xml, const std::string& part, XmlHandler& handler)
{
    if (xml.size() > static_cast<std::size_t>(INT_MAX)) {
        return MakeError("xlsx.too_large", part);
    }
    std::unique_ptr<XML_ParserStruct, ExpatFree> parser(XML_ParserCreateNS(nullptr, kNamespaceSeparator));
    if (!parser) {
        return MakeError("xlsx.xml", part + ": out of memory");
    }
    ParseContext ctx{parser.get(), &handler, {}};
    XML_SetUserData(parser.get(), &ctx);
    XML_SetElementHandler(parser.get(), OnStart, OnEnd);
    XML_SetCharacterDataHandler(parser.get(), OnText);
    XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
    const XML_Status status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    if (!ctx.failure.empty()) {
        return MakeError("xlsx.xml", part + ": " + ctx.failure);
    }
    if (status != XML_STATUS_OK) {
        return MakeError("xlsx.xml", part + ": " + XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                                         std::to_string(XML_GetCurrentLineNumber(parser.get())));
    }
    return Status::Ok();
}

// ---- package structure --------------------------------------------------------------------

struct Relationship {
    std::string type;
    std::string target;
    bool external = false;
};

class RelsHandler : public XmlHandler {
  public:
    std::map<std::string, Relationship> rels;

    bool Start(std::string_view name, const char** attrs) override
    {
        if (name != "Relationship") {
            return true;
        }
        const char* id = Attribute(attrs, "Id");
        const char* type = Attribute(attrs, "Type");
        const char* target = Attribute(attrs, "Target");
        const char* mode = Attribute(attrs, "TargetMode");
        if (id != nullptr && target != nullptr) {
            rels.emplace(id, Relationship{type != nullptr ? type : "", target,
                                          mode != nullptr && std::strcmp(mode, "External") == 0});
        }
        return true;
    }
    bool End(std::string_view /*name*/) override { return true; }
};

struct SheetEntry {
    std::string name;
    std::string rel_id;
    bool hidden = false;
};

class WorkbookHandler : public XmlHandler {
  public:
    std::vector<SheetEntry> sheets;

    bool Start(std::string_view name, const char** attrs) override
    {
        if (name != "sheet") {
            return true;
        }
        const char* sheet_name = Attribute(attrs, "name");
        const char* rel_id = Attribute(attrs, "id", /*namespaced=*/true);
        const char* state = Attribute(attrs, "state");
        sheets.push_back(SheetEntry{sheet_name != nullptr ? sheet_name : "", rel_id != nullptr ? rel_id : "",
                                    state != nullptr && std::strcmp(state, "visible") != 0});
        return true;
    }
    bool End(std::string_view /*name*/) override { return true; }
};

bool EndsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string DirectoryOf(const std::string& part)
{
    const auto slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// A relationship target, relative to the directory of the part that owns it, as a zip path.
std::string ResolveTarget(const std::string& base_dir, const std::string& target)
{
    const std::string joined = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= joined.size()) {
        auto slash = joined.find('/', start);
        if (slash == std::string::npos) {
            slash = joined.size();
        }
        const std::string segment = joined.substr(start, slash - start);
        if (segment == "..") {
            if (!segments.empty()) {
                segments.pop_back();
            }
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string out;
    for (const auto& s : segments) {
        out += out.empty() ? s : "/" + s;
    }
    return out;
}

std::string RelsPathFor(const std::string& part)
{
    const auto dir = DirectoryOf(part);
    return dir + "_rels/" + part.substr(dir.size()) + ".rels";
}

// ---- cells --------------------------------------------------------------------------------

// ST_Xstring escapes: "_x000D_" is U+000D; "_x005F_" escapes an underscore.
std::string DecodeXstring(const std::string& s)
{
    if (s.find("_x") == std::string::npos) {
        return s;
    }
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
            std::uint32_t cp = 0;
            const char* first = s.data() + i + 2;
            const auto [ptr, ec] = std::from_chars(first, first + 4, cp, 16);
            if (ec == std::errc() && ptr == first + 4 && (cp < 0xD800 || cp > 0xDFFF)) {
                AppendUtf8(out, static_cast<char32_t>(cp));
                i += 7;
                continue;
            }
        }
        out.push_back(s[i]);
        ++i;
    }
    return out;
}

std::optional<std::size_t> ParseDecimal(std::string_view s)
{
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return v;
}

// "B12" -> 2 (1-based column); nullopt if malformed.
std::optional<std::size_t> ColumnOfReference(std::string_view ref)
{
    std::size_t col = 0;
    std::size_t i = 0;
    while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
        const char upper = ref[i] >= 'a' ? static_cast<char>(ref[i] - 'a' + 'A') : ref[i];
        col = col * 26 + static_cast<std::size_t>(upper - 'A' + 1);
        if (col > kMaxExcelColumn) {
            return std::nullopt;
        }
        ++i;
    }
    if (i == 0 || !ParseDecimal(ref.substr(i))) {
        return std::nullopt;
    }
    return col;
}

class SharedStringsHandler : public XmlHandler {
  public:
    std::vector<std::string> strings;

    bool Start(std::string_view name, const char** /*attrs*/) override
    {
        if (name == "si") {
            m_in_si = true;
            m_current.clear();
        } else if (name == "rPh") {
            ++m_phonetic_depth;
        } else if (name == "t" && m_in_si && m_phonetic_depth == 0) {
            m_in_t = true;
        }
        return true;
    }
    bool End(std::string_view name) override
    {
        if (name == "si") {
            strings.push_back(DecodeXstring(m_current));
            m_in_si = false;
        } else if (name == "rPh") {
            --m_phonetic_depth;
        } else if (name == "t") {
            m_in_t = false;
        }
        return true;
    }
    void Text(std::string_view text) override
    {
        if (m_in_t) {
            m_current.append(text);
        }
    }

  private:
    std::string m_current;
    bool m_in_si = false;
    bool m_in_t = false;
    int m_phonetic_depth = 0;
};

class WorksheetHandler : public XmlHandler {
  public:
    WorksheetHandler(const std::vector<std::string>& shared, const XlsxLimits& limits, Sheet& sheet)
        : m_shared(shared), m_limits(limits), m_sheet(sheet)
    {
    }
    // Set when a limit of XlsxLimits stopped the reading ("xlsx.too_large").
    bool over_budget = false;

    bool Start(std::string_view name, const char** attrs) override
    {
        if (name == "sheetData") {
            m_in_data = true;
        } else if (!m_in_data) {
            return true;
        } else if (name == "row") {
            return StartRow(attrs);
        } else if (name == "c" && m_in_row) {
            return StartCell(attrs);
        } else if (!m_in_cell) {
            return true;
        } else if (name == "v") {
            m_in_v = true;
        } else if (name == "is") {
            m_in_is = true;
        } else if (name == "rPh") {
            ++m_phonetic_depth;
        } else if (name == "t" && m_in_is && m_phonetic_depth == 0) {
            m_in_t = true;
        }
        return true;
    }

    bool End(std::string_view name) override
    {
        if (name == "sheetData") {
            m_in_data = false;
        } else if (name == "row" && m_in_row) {
            return EndRow();
        } else if (name == "c" && m_in_cell) {
            return EndCell();
        } else if (name == "v") {
            m_in_v = false;
        } else if (name == "is") {
            m_in_is = false;
        } else if (name == "rPh" && m_phonetic_depth > 0) {
            --m_phonetic_depth;
        } else if (name == "t") {
            m_in_t = false;
        }
        return true;
    }

    void Text(std::string_view text) override
    {
        if (m_in_v) {
            m_value.append(text);
        } else if (m_in_t) {
            m_inline.append(text);
        }
    }

  private:
    bool StartRow(const char** attrs)
    {
        std::size_t number = m_row.number + 1;
        if (const char* r = Attribute(attrs, "r")) {
            const auto parsed = ParseDecimal(r);
            if (!parsed || *parsed == 0 || *parsed > kMaxExcelRow) {
                return Fail(std::string("bad row number \"") + r + "\"");
            }
            number = *parsed;
        }
        if (number > kMaxExcelRow) {
            return Fail("too many rows");
        }
        m_row.number = number;
        m_row.cells.clear();
        m_last_column = 0;
        m_in_row = true;
        return true;
    }

    bool EndRow()
    {
        m_in_row = false;
        for (const auto& cell : m_row.cells) {
            if (!cell.empty()) {
                if (m_sheet.rows.size() >= m_limits.max_rows) {
                    over_budget = true;
                    return Fail("more than " + std::to_string(m_limits.max_rows) + " rows");
                }
                m_sheet.rows.push_back(m_row);
                return true;
            }
        }
        return true;
    }

    bool StartCell(const char** attrs)
    {
        std::size_t column = m_last_column + 1;
        if (const char* r = Attribute(attrs, "r")) {
            const auto parsed = ColumnOfReference(r);
            if (!parsed) {
                return Fail(std::string("bad cell reference \"") + r + "\"");
            }
            column = *parsed;
        }
        if (column > kMaxExcelColumn) {
            return Fail("too many columns");
        }
        const char* t = Attribute(attrs, "t");
        m_type = t != nullptr ? t : "n";
        m_column = column;
        m_last_column = column;
        m_value.clear();
        m_inline.clear();
        m_in_cell = true;
        return true;
    }

    bool EndCell()
    {
        m_in_cell = false;
        m_in_v = m_in_is = m_in_t = false;
        m_phonetic_depth = 0;
        std::string text;
        if (m_type == "s") {
            const auto index = ParseDecimal(m_value);
            if (!index || *index >= m_shared.size()) {
                return Fail("shared string index \"" + m_value + "\" out of range in row " +
                            std::to_string(m_row.number));
            }
            text = m_shared[*index];
        } else if (m_type == "inlineStr") {
            text = DecodeXstring(m_inline);
        } else if (m_type == "str") {
            text = DecodeXstring(m_value);
        } else if (m_type == "b") {
            text = m_value == "1" ? "TRUE" : m_value == "0" ? "FALSE" : m_value;
        } else if (m_type == "n") {
            text = FormatXlsxNumber(m_value);
        } else {
            text = m_value;  // "e" (error such as #N/A), "d" (ISO date)
        }
        if (text.empty()) {
            return true;
        }
        if (m_column > m_limits.max_columns) {
            ++m_sheet.ignored_cells;
            return true;
        }
        m_text_bytes += text.size();
        if (m_text_bytes > m_limits.max_text_bytes) {
            over_budget = true;
            return Fail("the cells hold more than " + std::to_string(m_limits.max_text_bytes >> 20) + " MiB of text");
        }
        if (m_row.cells.size() < m_column) {
            m_row.cells.resize(m_column);
        }
        m_row.cells[m_column - 1] = std::move(text);
        return true;
    }

    const std::vector<std::string>& m_shared;
    const XlsxLimits& m_limits;
    Sheet& m_sheet;
    std::size_t m_text_bytes = 0;
    SheetRow m_row;
    std::size_t m_last_column = 0;
    std::size_t m_column = 0;
    std::string m_type;
    std::string m_value;
    std::string m_inline;
    bool m_in_data = false;
    bool m_in_row = false;
    bool m_in_cell = false;
    bool m_in_v = false;
    bool m_in_is = false;
    bool m_in_t = false;
    int m_phonetic_depth = 0;
};

Result<std::map<std::string, Relationship>> ReadRels(ZipArchive& zip, const std::string& part, const XlsxLimits& limits)
{
    const std::string path = RelsPathFor(part);
    auto xml = zip.Read(path, limits.max_part_bytes);
    if (!xml) {
        return xml.error();
    }
    if (!xml->has_value()) {
        return std::map<std::string, Relationship>();
    }
    RelsHandler handler;
    if (auto st = ParseXml(**xml, path, handler); !st) {
        return st.error();
    }
    return std::move(handler.rels);
}

}  // namespace

std::string FormatXlsxNumber(const std::string& raw)
{
    double v = 0;
    const char* first = raw.data();
    const char* last = raw.data() + raw.size();
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (raw.empty() || ec != std::errc() || ptr != last || !std::isfinite(v)) {
        return raw;
    }
    if (v != std::floor(v) || std::fabs(v) >= kMaxExactInteger) {
        return raw;
    }
    const auto integer = static_cast<long long>(v);
    return std::to_string(integer == 0 ? 0 : integer);
}

Result<Sheet> ReadFirstWorksheet(ByteView xlsx, const XlsxLimits& limits)
{
    auto opened = ZipArchive::Open(xlsx);
    if (!opened) {
        return MakeError("xlsx.zip", "not a zip archive (an .xlsx file is one)");
    }
    ZipArchive& zip = *opened;

    // _rels/.rels names the workbook part; every producer we know uses xl/workbook.xml.
    std::string workbook_path = "xl/workbook.xml";
    auto root_rels = ReadRels(zip, "", limits);
    if (!root_rels) {
        return root_rels.error();
    }
    for (const auto& [id, rel] : *root_rels) {
        if (!rel.external && EndsWith(rel.type, "/officeDocument")) {
            workbook_path = ResolveTarget("", rel.target);
            break;
        }
    }

    Sheet sheet;
    std::string sheet_path;
    std::string shared_path = DirectoryOf(workbook_path) + "sharedStrings.xml";
    auto workbook_xml = zip.Read(workbook_path, limits.max_part_bytes);
    if (!workbook_xml) {
        return workbook_xml.error();
    }
    if (workbook_xml->has_value()) {
        WorkbookHandler workbook;
        if (auto st = ParseXml(**workbook_xml, workbook_path, workbook); !st) {
            return st.error();
        }
        auto rels = ReadRels(zip, workbook_path, limits);
        if (!rels) {
            return rels.error();
        }
        const std::string base = DirectoryOf(workbook_path);
        for (const auto& [id, rel] : *rels) {
            if (!rel.external && EndsWith(rel.type, "/sharedStrings")) {
                shared_path = ResolveTarget(base, rel.target);
            }
        }
        // First visible worksheet in tab order, else the first worksheet at all.
        for (const bool want_visible : {true, false}) {
            for (const auto& entry : workbook.sheets) {
                const auto rel = rels->find(entry.rel_id);
                if (rel == rels->end() || rel->second.external || !EndsWith(rel->second.type, "/worksheet") ||
                    (want_visible && entry.hidden)) {
                    continue;
                }
                sheet_path = ResolveTarget(base, rel->second.target);
                sheet.name = entry.name;
                break;
            }
            if (!sheet_path.empty()) {
                break;
            }
        }
    }
    if (sheet_path.empty()) {
        sheet_path = "xl/worksheets/sheet1.xml";
    }

    auto sheet_xml = zip.Read(sheet_path, limits.max_part_bytes);
    if (!sheet_xml) {
        return sheet_xml.error();
    }
    if (!sheet_xml->has_value()) {
        return MakeError("xlsx.missing", workbook_xml->has_value() ? "no worksheet " + sheet_path + " in the workbook"
                                                                   : "not an Excel workbook (no xl/workbook.xml)");
    }

    SharedStringsHandler shared;
    auto shared_xml = zip.Read(shared_path, limits.max_part_bytes);
    if (!shared_xml) {
        return shared_xml.error();
    }
    if (shared_xml->has_value()) {
        if (auto st = ParseXml(**shared_xml, shared_path, shared); !st) {
            return st.error();
        }
    }

    WorksheetHandler worksheet(shared.strings, limits, sheet);
    if (auto st = ParseXml(**sheet_xml, sheet_path, worksheet); !st) {
        if (worksheet.over_budget) return MakeError("xlsx.too_large", st.error().detail);
        return st.error();
    }
    return sheet;
}

}  // namespace pingyi
