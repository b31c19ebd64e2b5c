// libFuzzer target for the roster import: the same bytes as CSV and as .xlsx. Besides
// crashes and sanitizer reports, it checks what a successful import promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/roster.hpp"
#include "core/text_encoding.hpp"

namespace {

void Check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

void CheckRoster(const pingyi::Result<pingyi::Roster>& r)
{
    if (!r) {
        Check(!r.error().code.empty());
        return;
    }
    Check(!r->entries.empty() && r->entries.size() <= pingyi::kMaxRosterMembers);
    for (const auto& e : r->entries) {
        Check(!e.name.empty());
        Check(pingyi::IsValidUtf8(e.name) && pingyi::IsValidUtf8(e.id) && pingyi::IsValidUtf8(e.note));
        Check(e.name.size() <= 4 * pingyi::kMaxNameChars);
        for (const char c : e.name + e.id + e.note) {
            Check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const pingyi::ByteView bytes(data, size);
    CheckRoster(pingyi::ImportRosterCsv(bytes));
    CheckRoster(pingyi::ImportRosterXlsx(bytes));
    return 0;
}
