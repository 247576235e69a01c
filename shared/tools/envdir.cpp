// SPDX-License-Identifier: MIT
// envdir: runs a program with environment variables set and removed by the files of a directory.
#include "chainload.h"
#include "diag.h"
#include "envdir.h"

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("envdir");
    // 0.76 exits 111, not 100, on a usage error here.
    if (argc < 3) {
        diag.say("usage: envdir dir child");
        return tz::exitTemporary;
    }
    // 0.76 opens the starting directory to come back to it before reading dir,
    // so an unreadable working directory is an error even though we never leave it.
    const int here = ::open(".", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (here < 0)
        diag.die(tz::exitTemporary, "unable to switch to current directory: ", tz::sys());
    ::close(here);
    const auto entries = tz::readEnvDir(argv[1]);
    if (!entries)
        diag.die(tz::exitTemporary, "unable to ", entries.error());
    auto env = tz::composeEnvironment(environ, tz::envChanges(*entries));
    const auto envp = tz::cArray(env);
    const int err = tz::execProgram(argv + 2, envp.data());
    diag.die(tz::exitTemporary, "unable to run ", argv[2], ": ", tz::sys(err));
}
