// libFuzzer: the results file parser must refuse bad input cleanly. The package is a fixed
// valid one from the corpus folder's seed (tests/fuzz/corpus/results/package.pyp), so that
// the fuzzer reaches the signature and aggregate parsing.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>

#include "core/results.hpp"

namespace {

const pingyi::ElectionPackage* Package()
{
    static const pingyi::ElectionPackage* pkg = [] {
        std::ifstream in(PINGYI_FUZZ_PACKAGE, std::ios::binary);
        const pingyi::Bytes bytes(std::istreambuf_iterator<char>(in), {});
        auto loaded = pingyi::LoadPackage(bytes);
        return loaded.ok() ? new pingyi::ElectionPackage(std::move(loaded).value()) : nullptr;
    }();
    return pkg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto* pkg = Package();
    if (pkg == nullptr) __builtin_trap();
    auto r = pingyi::ParseResults(pingyi::ByteView(data, size), *pkg);
    if (r.ok()) (void)pingyi::Summarize(pkg->definition, *r);
    return 0;
}
