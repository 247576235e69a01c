// SPDX-License-Identifier: MIT
// envuidgid: runs a program with $UID and $GID set to an account's ids.
#include "account.h"
#include "chainload.h"
#include "diag.h"

#include <string>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("envuidgid");
    if (argc < 3)
        diag.usage("envuidgid account child");
    const auto account = tz::findAccount(argv[1]);
    if (!account)
        diag.die(tz::exitTemporary, "unknown account ", argv[1]);
    // GID first, then UID: the order shows in `env` when neither was set before.
    const tz::EnvChange changes[] = {{"GID", std::to_string(account->gid)}, {"UID", std::to_string(account->uid)}};
    auto env = tz::composeEnvironment(environ, changes);
    const auto envp = tz::cArray(env);
    const int err = tz::execProgram(argv + 2, envp.data());
    diag.die(tz::exitTemporary, "unable to run ", argv[2], ": ", tz::sys(err));
}
