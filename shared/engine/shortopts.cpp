// SPDX-License-Identifier: MIT
// Option scanning as sgetopt does it: clusters, attached or separate arguments, "-" and "--".
#include "shortopts.h"

namespace tz {

ShortOptions::ShortOptions(int argc, char *const *argv, std::string_view spec)
    : m_argc(argc), m_argv(argv), m_spec(spec)
{
}

ShortOptions::Event ShortOptions::next()
{
    auto atEnd = [this] { return m_index >= m_argc || !m_argv[m_index]; };
    if (atEnd())
        return {};
    if (m_pos > 0 && m_argv[m_index][m_pos] == '\0') {
        ++m_index;
        m_pos = 0;
        if (atEnd())
            return {};
    }
    if (m_pos == 0) {
        const char *word = m_argv[m_index];
        if (word[0] != '-')
            return {};
        if (word[1] == '\0')
            return {}; // "-" is an operand
        if (word[1] == '-') {
            ++m_index; // "--" (or anything starting with it) is consumed
            return {};
        }
        m_pos = 1;
    }
    const char letter = m_argv[m_index][m_pos++];
    for (size_t i = 0; i < m_spec.size(); ++i) {
        if (m_spec[i] == ':')
            continue;
        if (m_spec[i] != letter)
            continue;
        Event e{Kind::Option, letter, nullptr};
        if (i + 1 < m_spec.size() && m_spec[i + 1] == ':') {
            const char *attached = m_argv[m_index] + m_pos;
            ++m_index;
            m_pos = 0;
            if (*attached) {
                e.arg = attached;
            } else {
                if (atEnd())
                    return {Kind::MissingArgument, letter, nullptr};
                e.arg = m_argv[m_index++];
            }
        }
        return e;
    }
    return {Kind::Illegal, letter, nullptr};
}

std::string_view ShortOptions::problemText(Kind kind)
{
    return kind == Kind::MissingArgument ? "option requires an argument -- " : "illegal option -- ";
}

std::string_view programName(const char *argv0)
{
    std::string_view name = argv0 ? argv0 : "";
    const size_t slash = name.rfind('/');
    if (slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    return name;
}

} // namespace tz
