// libFuzzer: the election package parser (LoadPackage) must refuse bad input cleanly.
#include <cstddef>
#include <cstdint>

#include "core/package.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto pkg = pingyi::LoadPackage(pingyi::ByteView(data, size));
    // A package that loads has a verified signature and key proof: re-serialising it must
    // load again to the same fingerprint.
    if (pkg.ok()) {
        auto again = pingyi::LoadPackage(pkg->Serialize());
        if (!again.ok() || again->fingerprint != pkg->fingerprint) __builtin_trap();
    }
    return 0;
}
