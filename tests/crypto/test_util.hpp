// Small helpers shared by the crypto test suites.
#pragma once

#include <doctest/doctest.h>

#include <string_view>

#include "crypto/group.hpp"

namespace pingyi::test {

// The suite a test case runs in: P256-SHA256 unless a case parametrised over the suites
// (SUITE_CASE below) has set another one with UseSuite.
inline SuiteId& CurrentSuite()
{
    static thread_local SuiteId suite = SuiteId::P256_SHA256;
    return suite;
}

inline const Group& G()
{
    return Group::Get(CurrentSuite());
}

class UseSuite {
  public:
    explicit UseSuite(SuiteId suite) : m_previous(CurrentSuite()) { CurrentSuite() = suite; }
    ~UseSuite() { CurrentSuite() = m_previous; }
    UseSuite(const UseSuite&) = delete;
    UseSuite& operator=(const UseSuite&) = delete;

  private:
    SuiteId m_previous;
};

template <SuiteId S>
struct Suite {
    static constexpr SuiteId kId = S;
};
using P256Suite = Suite<SuiteId::P256_SHA256>;
using Sm2Suite = Suite<SuiteId::SM2_SM3>;

// Hex test data; a malformed literal fails the test.
inline Bytes Hex(std::string_view hex)
{
    auto b = FromHex(hex);
    REQUIRE(b.has_value());
    return *b;
}

}  // namespace pingyi::test

TYPE_TO_STRING(pingyi::test::P256Suite);
TYPE_TO_STRING(pingyi::test::Sm2Suite);

// A test case run once per suite; its body starts with `const test::UseSuite use(SuiteT::kId);`
// (or reads SuiteT::kId itself).
#define SUITE_CASE(name) TEST_CASE_TEMPLATE(name, SuiteT, ::pingyi::test::P256Suite, ::pingyi::test::Sm2Suite)
