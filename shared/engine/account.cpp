// SPDX-License-Identifier: MIT
// Account lookup through the passwd database and the group-then-user switch.
#include "account.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace tz {

std::optional<Account> findAccount(const std::string &name)
{
    const passwd *pw = ::getpwnam(name.c_str());
    if (!pw)
        return std::nullopt;
    return Account{pw->pw_uid, pw->pw_gid};
}

Done becomeAccount(const Account &account)
{
    if (::setgroups(1, &account.gid) == -1 || ::setgid(account.gid) == -1)
        return failure("setgid");
    if (::setuid(account.uid) == -1)
        return failure("setuid");
    return Ok{};
}

} // namespace tz
