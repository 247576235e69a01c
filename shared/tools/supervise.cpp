// SPDX-License-Identifier: MIT
// supervise: starts ./run in a service directory, restarts it, and obeys svc.
#include "diag.h"
#include "supervisor.h"

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("supervise");
    if (argc != 2)
        diag.usage("supervise dir");
    const char *dir = argv[1];

    // ./run is found relative to the service directory and inherits it as cwd.
    if (::chdir(dir) < 0)
        diag.die(tz::exitTemporary, "unable to chdir to ", dir, ": ", tz::sys());

    tz::Supervisor::Options options;
    options.dirFd = AT_FDCWD;
    options.name = dir;
    options.execFailurePrefix = std::string("supervise: fatal: unable to start ") + dir + "/run: ";
    options.warn = [&diag](const tz::Failure &f) { diag.warn("unable to ", f); };
    tz::Supervisor supervisor(std::move(options));

    if (auto opened = supervisor.open(); !opened)
        diag.die(tz::exitTemporary, "unable to ", opened.error());
    if (auto ran = supervisor.run(); !ran)
        diag.die(tz::exitTemporary, "unable to ", ran.error());
    return 0;
}
