// SPDX-License-Identifier: MIT
// tai64nlocal's conversion of a leading TAI64N label to local date and time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tz {

// The bytes of a line that decide whether it starts with a label: "@" and 24 hex
// digits, plus one more to see that the digits stop there.
inline constexpr std::size_t localStampLookahead = 26;

// head is the start of a line: localStampLookahead bytes, or fewer when the line
// or the input ends sooner. When it starts with "@" and exactly 24 lowercase hex
// digits (0.76 knows no uppercase), returns what replaces those 25 bytes:
// "YYYY-MM-DD HH:MM:SS.NNNNNNNNN" in local time, formatted as 0.76 formats it.
// Anything else, including a label that is too short, too long or out of the
// range of the C library's calendar, is nullopt: the line is left as it is
// (0.76 crashes on some of these; we do not).
std::optional<std::string> localStamp(std::string_view head);

} // namespace tz
