// SPDX-License-Identifier: MIT
// Parsing multilog's actions the way daemontools 0.76 reads them.
#include "logscript.h"

#include <algorithm>

namespace tz {

namespace {

// scan_ulong: leading decimal digits, wrapping silently on overflow like 0.76;
// no digits at all reads as 0.
std::uint64_t leadingNumber(std::string_view s)
{
    std::uint64_t value = 0;
    for (const char ch : s) {
        if (ch < '0' || ch > '9')
            break;
        value = value * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return value;
}

} // namespace

bool LogScript::plain() const
{
    return std::all_of(actions.begin(), actions.end(),
                       [](const LogAction &a) { return a.kind == LogActionKind::Directory; });
}

LogScript parseLogScript(std::span<const std::string_view> args)
{
    LogScript script;
    if (!args.empty() && !args.front().empty() && args.front().front() == 't')
        script.timestamp = true;

    std::uint64_t size = logDefaultSize;
    std::uint64_t count = logDefaultCount;
    std::optional<std::string> processor;
    for (const std::string_view arg : args) {
        if (arg.empty())
            continue;
        const std::string_view rest = arg.substr(1);
        switch (arg.front()) {
        case 's':
            size = std::clamp(leadingNumber(rest), logMinSize, logMaxSize);
            break;
        case 'n':
            count = std::max(leadingNumber(rest), logMinCount);
            break;
        case '!':
            processor = std::string(rest);
            break;
        case '+':
            script.actions.push_back({LogActionKind::Select, std::string(rest), 0});
            break;
        case '-':
            script.actions.push_back({LogActionKind::Deselect, std::string(rest), 0});
            break;
        case 'e':
            script.actions.push_back({LogActionKind::Alert, {}, 0});
            break;
        case '=':
            script.actions.push_back({LogActionKind::Status, {}, script.statusFiles.size()});
            script.statusFiles.emplace_back(rest);
            break;
        case '.':
        case '/':
            script.actions.push_back({LogActionKind::Directory, {}, script.dirs.size()});
            script.dirs.push_back({std::string(arg), size, count, processor});
            break;
        default:
            break;
        }
    }
    return script;
}

} // namespace tz
