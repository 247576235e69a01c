// SPDX-License-Identifier: MIT
// Fuzzes multilog's script parser: the arguments are the input cut at NUL bytes, as argv would be.
#include "fuzzcheck.h"
#include "logscript.h"

#include <algorithm>

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto args = fuzz::split(fuzz::asText(data, size), '\0');
    if (args.size() > 256)
        return 0;
    const LogScript s = parseLogScript(args);

    // Every action points into the tables it names, in command-line order.
    std::size_t dirs = 0;
    std::size_t statuses = 0;
    std::size_t perLine = 0;
    for (const LogAction &a : s.actions) {
        switch (a.kind) {
        case LogActionKind::Directory:
            FUZZ_CHECK(a.index == dirs++);
            break;
        case LogActionKind::Status:
            FUZZ_CHECK(a.index == statuses++);
            break;
        default:
            ++perLine;
            break;
        }
    }
    FUZZ_CHECK(dirs == s.dirs.size());
    FUZZ_CHECK(statuses == s.statusFiles.size());
    FUZZ_CHECK(s.plain() == (perLine == 0 && statuses == 0));

    // Every directory has 0.76's bounds, whatever the numbers said.
    for (const LogDirConfig &d : s.dirs) {
        FUZZ_CHECK(d.maxSize >= logMinSize && d.maxSize <= logMaxSize);
        FUZZ_CHECK(d.count >= logMinCount);
        FUZZ_CHECK(!d.path.empty() && (d.path.front() == '.' || d.path.front() == '/'));
    }

    // Exactly the arguments starting with a known action letter produce an action.
    std::size_t expected = 0;
    for (const std::string_view a : args)
        if (!a.empty() && std::string_view("+-e=./").find(a.front()) != std::string_view::npos)
            ++expected;
    FUZZ_CHECK(s.actions.size() == expected);
    FUZZ_CHECK(s.timestamp == (!args.empty() && !args.front().empty() && args.front().front() == 't'));

    // Parsing is a pure function of the arguments.
    const LogScript again = parseLogScript(args);
    FUZZ_CHECK(again.actions.size() == s.actions.size() && again.dirs.size() == s.dirs.size());
    return 0;
}
