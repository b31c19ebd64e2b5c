// The expected device list (docs/formats.md §4.12): what is accepted, and every malformed
// file refused with its line.
#include <doctest/doctest.h>

#include <fstream>

#include "core/device_list.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"

namespace pingyi {
namespace {

using namespace std::string_literals;

Result<std::vector<std::string>> Parse(const std::string& text, std::size_t* line = nullptr)
{
    return ParseDeviceList(AsBytes(text), line);
}

const std::string kFp1 = "3f2a91c05d7eb814", kFp2 = "0b77e2d4a9516c03";
const std::string kFull = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

TEST_CASE("device list: every accepted form, comments, blank lines, BOM and CRLF")
{
    const std::string text =
        "\xEF\xBB\xBF# 开箱记录 2026-12-04 第一党支部\r\n"
        "\r\n"
        "3F2A-91C0-5D7E-B814   # 投票机 1\r\n"
        "  0b77 e2d4 a951 6c03\t\r\n"
        "# 投票机 3: the whole fingerprint\n" +
        kFull + "\n3f2a-91c0-5d7e-b814";  // repeated, and no line end
    auto list = Parse(text);
    REQUIRE(list.ok());
    CHECK(*list == std::vector<std::string>{kFp1, kFp2, kFull});
    CHECK(NormalizeDeviceFingerprint("3F2A-91C0-5D7E-B814") == kFp1);
    CHECK(NormalizeDeviceFingerprint("3f2a-91c0") == "");
    CHECK(NormalizeDeviceFingerprint("3g2a-91c0-5d7e-b814") == "");
}

TEST_CASE("device list: a malformed file is refused with its line")
{
    struct Case {
        std::string text;
        std::string code;
        std::size_t line;
    };
    const Case cases[] = {
        {"# ok\n3f2a-91c0-5d7e-b814\n3f2a-91c0\n", "devices.line", 3},     // too short
        {"3f2a-91c0-5d7e-b81g\n", "devices.line", 1},                      // not hex
        {"3f2a-91c0-5d7e-b814 0b77-e2d4-a951-6c03\n", "devices.line", 1},  // two on a line
        {"\n\nkiosk 1: 3f2a-91c0-5d7e-b814\n", "devices.line", 3},         // a remark without #
        {"3f2a-91c0-5d7e-b814\n投票机 2\n", "devices.encoding", 2},        // text outside a comment
        {"３f2a-91c0-5d7e-b814\n", "devices.encoding", 1},                 // a full-width digit
        {"3f2a-91c0\0-5d7e-b814\n"s, "devices.encoding", 1},               // a NUL byte
        {"# only comments\n\n   \n", "devices.empty", 0},
        {"", "devices.empty", 0},
        {"\xFF\xFE"
         "3\0f\0"s,
         "devices.encoding", 0},  // UTF-16
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        std::size_t line = 99;
        auto r = Parse(c.text, &line);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == c.code);
        CHECK(line == c.line);
        if (c.line > 0) CHECK(r.error().detail.find("line " + std::to_string(c.line) + ":") == 0);
    }
}

TEST_CASE("device list: read from a file, bounded, the file's name in the error")
{
    test::TempDir dir;
    const auto good = dir / "devices.txt";
    std::ofstream(good, std::ios::binary) << "3f2a-91c0-5d7e-b814  # 投票机 1\n";
    auto list = ReadDeviceList(good);
    REQUIRE(list.ok());
    CHECK(list->size() == 1);

    const auto bad = dir / "typed.txt";
    std::ofstream(bad, std::ios::binary) << "3f2a-91c0-5d7e-b814\r\n3f2a-91c0-5d7e-b8\r\n";
    std::size_t line = 0;
    auto r = ReadDeviceList(bad, &line);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "devices.line");
    CHECK(line == 2);
    CHECK(r.error().detail.find("typed.txt line 2:") == 0);

    const auto big = dir / "big.txt";
    std::ofstream(big, std::ios::binary) << "";
    std::filesystem::resize_file(big, MaxFileBytes(FileKind::kDeviceList) + 1);
    auto b = ReadDeviceList(big);
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().code == "file.too_large");
    CHECK(ReadDeviceList(dir.path()).error().code == "file.type");
}

}  // namespace
}  // namespace pingyi
