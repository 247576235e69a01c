// SPDX-License-Identifier: MIT
// Where the helper lives on the system bus.
#pragma once

namespace tz::bus {

inline constexpr const char *service = "org.tazuna.Helper1";
inline constexpr const char *path = "/org/tazuna/Helper1";
inline constexpr const char *interface = "org.tazuna.Helper1";

} // namespace tz::bus
