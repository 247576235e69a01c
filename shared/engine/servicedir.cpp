// SPDX-License-Identifier: MIT
// Validation of service names as entries of the scan directory.
#include "servicedir.h"

namespace tz {

bool isServiceName(std::string_view name)
{
    if (name.empty() || name.size() > 255 || name.front() == '.')
        return false;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '/' || u < 0x20 || u == 0x7f)
            return false;
    }
    return true;
}

} // namespace tz
