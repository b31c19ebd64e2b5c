// Shared helpers for core tests: a small election, temp directories, SQL on a box file.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "../crypto/test_util.hpp"
#include "core/ballot_box.hpp"
#include "core/package.hpp"

namespace pingyi::test {

// Fast key sealing in both suites: scrypt N = 2^14, or the least PBKDF2-HMAC-SM3 count.
inline constexpr KdfParams kFastKdf{14, 8, 1, kMinPbkdf2Iterations};

// An election in the suite of the test case (test::CurrentSuite(): P256-SHA256 unless a
// SUITE_CASE chose another), with fast key sealing.
inline Result<CreatedElection> CreateTestElection(const ElectionDefinition& def, std::string_view passphrase, Rng& rng)
{
    return CreateElection(def, passphrase, rng, kFastKdf, nullptr, CurrentSuite());
}

// The value of a result the test needs; the test stops with the error's code and detail if
// there is none.
template <typename T>
T Unwrap(Result<T> r)
{
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().code + ": " + r.error().detail));
    return std::move(r).value();
}

class TempDir {
  public:
    TempDir()
    {
        std::random_device rd;
        m_path =
            std::filesystem::temp_directory_path() / ("pingyi-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

  private:
    std::filesystem::path m_path;
};

// A whole file's bytes; the test stops if it cannot be opened.
inline Bytes FileBytes(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), p.string());
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline Bytes Text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

// Runs `sql` on a ballot box file, as a tamperer with a SQLite shell would.
inline void Sql(const std::filesystem::path& db_path, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.string().c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

inline ElectionDefinition SmallElection(std::uint32_t members = 6, std::uint32_t kiosks = 1)
{
    ElectionDefinition def;
    def.election_id = "00112233445566778899aabbccddeeff";
    def.title = "2026年度第一党支部民主评议党员";
    def.organization = "第一党支部";
    def.date = "2026-11-28";
    def.test_mode = true;
    // 喆 堃 (GBK, not GB 2312), 㛃 (CJK Extension A), 𠮷 (Extension B): they must print.
    const char* names[] = {"张伟", "王喆", "邓堃", "刘洋", "赵㛃", "吉𠮷", "赵磊", "黄敏", "周杰", "吴学军"};
    for (std::uint32_t i = 0; i < members; ++i)
        def.roster.push_back({std::string(names[i % 10]) + (i >= 10 ? std::to_string(i) : ""), "", ""});
    def.options = DefaultOptions(false);
    def.quota = Quota{0, members / 3};
    def.categories = {{"党员", 6, 70}, {"群众代表", 4, 30}};
    def.kiosks = kiosks;
    def.grade_rules = DefaultGradeRules();
    return def;
}

#ifndef _WIN32
// The output of a shell command (what it writes to stdout; add 2>&1 for stderr too) and its
// exit status.
inline std::string Capture(const std::string& command, int& status)
{
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;)
        out.append(buf.data(), n);
    status = pclose(pipe);
    return out;
}
#endif

// What independent readers say is wrong with a PDF: `qpdf --check` (structure, streams,
// cross-reference table) and poppler's warnings while it extracts the text (a malformed
// ToUnicode CMap, a broken font). Empty when both are content; qpdf is skipped if missing.
// The cases that call it are skipped on Windows (no poppler there): it says nothing there.
inline std::string PdfProblems(const std::filesystem::path& pdf)
{
#ifdef _WIN32
    (void)pdf;
    return {};
#else
    const std::string quoted = "'" + pdf.string() + "'";
    std::string problems;
    int status = 0;
    if (std::system("command -v qpdf >/dev/null 2>&1") == 0) {
        const std::string check = Capture("qpdf --check " + quoted + " 2>&1", status);
        if (status != 0 || check.find("No syntax or stream encoding errors found") == std::string::npos)
            problems += "qpdf --check:\n" + check;
    }
    const std::string warnings = Capture("pdftotext " + quoted + " /dev/null 2>&1", status);
    if (status != 0 || !warnings.empty()) problems += "pdftotext:\n" + warnings;
    return problems;
#endif
}

#ifndef _WIN32
// The text poppler extracts from a PDF (UTF-8, layout kept); empty if pdftotext fails.
inline std::string PdfText(const std::filesystem::path& pdf)
{
    int status = 0;
    const std::string text = Capture("pdftotext -layout -enc UTF-8 '" + pdf.string() + "' - 2>/dev/null", status);
    return status == 0 ? text : std::string();
}
#else
// No pdftotext under Wine: the cases that read a PDF's text are skipped there.
inline std::string PdfText(const std::filesystem::path&)
{
    return {};
}
#endif

}  // namespace pingyi::test
