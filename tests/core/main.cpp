#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>

#include "test_crash.hpp"

int main(int argc, char** argv)
{
#ifdef _WIN32
    if (argc > 1 && std::strcmp(argv[1], "--crash-child") == 0) return pingyi::CrashChildMain(argc, argv);
#endif
    return doctest::Context(argc, argv).run();
}
