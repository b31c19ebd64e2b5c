// The casting child of the crash test (test_crash.cpp) on Windows, where there is no fork():
// test_core.exe --crash-child <dir> <round> <pipe handle> runs it instead of the tests.
#pragma once

namespace pingyi {

#ifdef _WIN32
int CrashChildMain(int argc, char** argv);
#endif

}  // namespace pingyi
