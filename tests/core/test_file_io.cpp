// Files written whole or not at all, and readable by their owner only where that is asked:
// key files, ballot boxes and code slips (core/file_io).
#include <doctest/doctest.h>

#include <fstream>

#include "core/file_io.hpp"
#include "crypto/random.hpp"
#include "test_support.hpp"

#ifndef _WIN32
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#endif

namespace pingyi {
namespace {

namespace fs = std::filesystem;

void WritePlain(const fs::path& p, std::string_view text)
{
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string ReadText(const fs::path& p)
{
    auto data = ReadWholeFile(p, FileKind::kSettings);
    REQUIRE(data);
    return std::string(data->begin(), data->end());
}

bool OwnerOnly(const fs::path& p)
{
    auto r = IsOwnerOnly(p);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().detail));
    return *r;
}

std::size_t FilesIn(const fs::path& dir)
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++n;
    return n;
}

TEST_CASE("an owner-only file is owner-only from its first byte, and a default one is not")
{
    test::TempDir dir;
    REQUIRE(WriteFileAtomic(dir / "secret.key", AsBytes("key material"), FileAccess::kOwnerOnly));
    CHECK(ReadText(dir / "secret.key") == "key material");
    CHECK(OwnerOnly(dir / "secret.key"));
#ifndef _WIN32
    struct stat st {};
    REQUIRE(::stat((dir / "secret.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
#endif
    // The default file is readable by others (POSIX umask 022 in tests; on Windows the folder's
    // inherited ACL): the check above is not vacuous.
    REQUIRE(WriteFileAtomic(dir / "public.json", AsBytes("{}"), FileAccess::kDefault));
    CHECK_FALSE(OwnerOnly(dir / "public.json"));
    CHECK(FilesIn(dir.path()) == 2);  // no temporary file left behind
}

TEST_CASE("replacing a file writes the new bytes and keeps it owner-only")
{
    test::TempDir dir;
    WritePlain(dir / "election.key", "old, world-readable");
    CHECK_FALSE(OwnerOnly(dir / "election.key"));
    REQUIRE(WriteFileAtomic(dir / "election.key", AsBytes("new"), FileAccess::kOwnerOnly));
    CHECK(ReadText(dir / "election.key") == "new");
    CHECK(OwnerOnly(dir / "election.key"));
}

TEST_CASE("a file that cannot be written leaves what was there untouched")
{
    test::TempDir dir;
    SUBCASE("the folder does not exist")
    {
        auto s = WriteFileAtomic(dir / "missing" / "a.key", AsBytes("x"), FileAccess::kOwnerOnly);
        REQUIRE_FALSE(s);
        CHECK(s.error().code == "file.write");
        CHECK(s.error().detail.find("a.key") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "missing"));
    }
    SUBCASE("the name is a folder")
    {
        fs::create_directory(dir / "box.sqlite");
        WritePlain(dir / "box.sqlite" / "inside", "kept");
        auto s = WriteFileAtomic(dir / "box.sqlite", AsBytes("x"));
        REQUIRE_FALSE(s);
        CHECK(s.error().code == "file.write");
        CHECK(ReadText(dir / "box.sqlite" / "inside") == "kept");
        CHECK(FilesIn(dir.path()) == 1);
    }
#ifndef _WIN32
    SUBCASE("the disk fills up half-way (file size limit)")
    {
        WritePlain(dir / "results.json", "the earlier results");
        rlimit old{};
        REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old;
        small.rlim_cur = 4096;
        REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
        const std::string big(100000, 'x');
        auto s = WriteFileAtomic(dir / "results.json", AsBytes(big));
        REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
        std::signal(SIGXFSZ, old_handler);
        REQUIRE_FALSE(s);
        CHECK(s.error().code == "file.write");
        CHECK(ReadText(dir / "results.json") == "the earlier results");
        CHECK(FilesIn(dir.path()) == 1);
    }
#endif
}

TEST_CASE("an existing file is narrowed to its owner; a new owner-only file refuses to overwrite")
{
    test::TempDir dir;
    WritePlain(dir / "box.sqlite", "data");
    REQUIRE_FALSE(OwnerOnly(dir / "box.sqlite"));
    REQUIRE(RestrictToOwner(dir / "box.sqlite"));
    CHECK(OwnerOnly(dir / "box.sqlite"));
    CHECK(ReadText(dir / "box.sqlite") == "data");

    auto again = CreateOwnerOnlyFile(dir / "box.sqlite");
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "file.exists");
    CHECK(ReadText(dir / "box.sqlite") == "data");
    REQUIRE(CreateOwnerOnlyFile(dir / "new.sqlite"));
    CHECK(OwnerOnly(dir / "new.sqlite"));
    CHECK(fs::file_size(dir / "new.sqlite") == 0);

    CHECK(RestrictToOwner(dir / "nothing-here").error().code == "file.security");
    CHECK(IsOwnerOnly(dir / "nothing-here").error().code == "file.read");
}

TEST_CASE("a kiosk's ballot box and device key are owner-only, and a box made readable is narrowed on resume")
{
    test::TempDir dir;
    auto created = CreateElection(test::SmallElection(), "correct horse", SystemRng(), test::kFastKdf);
    REQUIRE(created);
    const fs::path box_path = dir / "box.sqlite";
    {
        auto box = BallotBox::Create(box_path, created->package, 1, "123456", SystemRng(), test::kFastKdf);
        REQUIRE(box);
        CHECK(OwnerOnly(box_path));
        CHECK(OwnerOnly(box_path.string() + ".key"));
#ifdef _WIN32
        // SQLite's companions would otherwise take the folder's ACL.
        for (const char* suffix : {"-wal", "-shm"}) {
            const fs::path side = box_path.string() + suffix;
            if (fs::exists(side)) CHECK(OwnerOnly(side));
        }
#endif
    }
#ifndef _WIN32
    REQUIRE(::chmod(box_path.c_str(), 0644) == 0);
    REQUIRE(::chmod((box_path.string() + ".key").c_str(), 0644) == 0);
    REQUIRE_FALSE(OwnerOnly(box_path));
    auto resumed = BallotBox::Resume(box_path, "123456");
    REQUIRE(resumed);
    CHECK(OwnerOnly(box_path));
    CHECK(OwnerOnly(box_path.string() + ".key"));
#endif
}

}  // namespace
}  // namespace pingyi
