#include "core/version.hpp"

namespace pingyi {

std::string_view SoftwareVersion()
{
    return PINGYI_VERSION;
}

}  // namespace pingyi
