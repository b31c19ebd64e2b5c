// Small helpers shared by the crypto test suites.
#pragma once

#include <doctest/doctest.h>

#include <string_view>

#include "crypto/group.hpp"

namespace pingyi::test {

inline const Group& G()
{
    return Group::P256();
}

// Hex test data; a malformed literal fails the test.
inline Bytes Hex(std::string_view hex)
{
    auto b = FromHex(hex);
    REQUIRE(b.has_value());
    return *b;
}

}  // namespace pingyi::test
