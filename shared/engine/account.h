// SPDX-License-Identifier: MIT
// Looking up a user account and dropping to it, as setuidgid and envuidgid do.
#pragma once

#include "diag.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace tz {

struct Account {
    uid_t uid = 0;
    gid_t gid = 0;
};

// The passwd entry for name, or nothing when there is none.
std::optional<Account> findAccount(const std::string &name);

// Becomes the account: the supplementary groups are set to the primary group
// alone (0.76 never reads /etc/group), then the gid, then the uid. Failures are
// "setgid" (also for the group list) or "setuid".
Done becomeAccount(const Account &account);

} // namespace tz
