// SPDX-License-Identifier: MIT
// svc: sends command letters to the supervise of each named service directory.
#include "control.h"
#include "diag.h"

#include <csignal>
#include <cstring>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

namespace {

constexpr std::string_view optionHelp =
    "u up, d down, o once, x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, k kill";

// getopt as daemontools' sgetopt does it: "-" alone is an operand, "--" ends the
// options, and the first unknown letter is fatal. Returns the index of the first operand.
int parseOptions(int argc, char **argv, std::string &letters)
{
    const std::string_view prog = [&] {
        std::string_view name = argv[0] ? argv[0] : "";
        const auto slash = name.rfind('/');
        return slash == std::string_view::npos ? name : name.substr(slash + 1);
    }();
    int i = 1;
    for (; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.size() < 2 || arg[0] != '-')
            break;
        if (arg == "--")
            return i + 1;
        for (const char c : arg.substr(1)) {
            if (!tz::isControlLetter(c)) {
                tz::Diag(prog).say("illegal option -- ", std::string(1, c));
                tz::Diag("svc options").say(optionHelp);
                ::_exit(tz::exitUsage);
            }
            letters.push_back(c);
        }
    }
    return i;
}

} // namespace

int main(int argc, char **argv)
{
    const tz::Diag diag("svc");
    ::signal(SIGPIPE, SIG_IGN);

    std::string letters;
    const int first = parseOptions(argc, argv, letters);
    const std::string commands = tz::dropRepeats(letters);

    const int origDir = ::open(".", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (origDir < 0)
        diag.die(tz::exitTemporary, "unable to open current directory: ", tz::sys());

    for (int i = first; i < argc; ++i) {
        const char *dir = argv[i];
        if (::chdir(dir) < 0) {
            diag.warn("unable to chdir to ", dir, ": ", tz::sys());
        } else {
            const auto sent = tz::sendCommands(AT_FDCWD, commands);
            if (!sent) {
                if (sent.error().action == tz::controlWriteAction)
                    diag.warn("error writing commands to ", dir, ": ", tz::sys(sent.error().err));
                else
                    diag.warn("unable to control ", dir, ": ", tz::sys(sent.error().err));
            } else if (sent->state == tz::SuperviseState::NotRunning) {
                diag.warn("unable to control ", dir, ": supervise not running");
            } else if (sent->state == tz::SuperviseState::Broken) {
                diag.warn("unable to control ", dir, ": ", tz::sys(sent->err));
            }
        }
        if (::fchdir(origDir) < 0)
            diag.die(tz::exitTemporary, "unable to set directory: ", tz::sys());
    }
    return 0;
}
