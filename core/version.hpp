// The software version and the on-disk format versions it reads and writes.
#pragma once

#include <string_view>

namespace pingyi {

std::string_view SoftwareVersion();

}  // namespace pingyi
