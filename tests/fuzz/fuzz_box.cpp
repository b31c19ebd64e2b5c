// libFuzzer: opening a ballot box file (ReadBox) and verifying it must never crash,
// whatever bytes the file holds. The input is written to a temporary file, since SQLite
// opens files by name.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/verify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("pingyi-fuzz-box-" + std::to_string(getpid()) + ".sqlite");
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto box = pingyi::ReadBox(path);
    if (box.ok()) {
        // The package inside, if any, goes through the verifier too.
        pingyi::Audit audit = pingyi::VerifyElection(box->package_file, {path}, {}, 1);
        (void)audit.report.ok();
    }
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    return 0;
}
