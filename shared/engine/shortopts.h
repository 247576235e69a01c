// SPDX-License-Identifier: MIT
// Command-line option scanning with the rules of DJB's sgetopt, which daemontools' tools use.
#pragma once

#include <string_view>

namespace tz {

// Differs from POSIX getopt where users can see it: a lone "-" ends the options
// and stays an operand, and the tools report problems as "PROG: illegal option --
// X" or "PROG: option requires an argument -- X" with PROG the basename of argv[0].
class ShortOptions {
public:
    enum class Kind { Option, End, Illegal, MissingArgument };

    struct Event {
        Kind kind = Kind::End;
        char letter = 0;            // the option, or the offending letter
        const char *arg = nullptr;  // the option's argument, if it takes one
    };

    // spec as for getopt: letters, each followed by ':' when it takes an argument.
    ShortOptions(int argc, char *const *argv, std::string_view spec);

    Event next();

    // The first operand once next() has returned End.
    int index() const { return m_index; }

    // The text sgetopt prints for an Illegal or MissingArgument event, without the
    // program name or the newline: "illegal option -- X".
    static std::string_view problemText(Kind kind);

private:
    int m_argc;
    char *const *m_argv;
    std::string_view m_spec;
    int m_index = 1;
    int m_pos = 0; // position inside a cluster such as "-nx"
};

// The basename of argv[0], the name sgetopt puts in front of its problems.
std::string_view programName(const char *argv0);

} // namespace tz
