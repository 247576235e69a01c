// SPDX-License-Identifier: MIT
// What one authorized ListLogs lets its caller open afterwards: the files it listed, for a while, without asking polkit again.
#pragma once

#include <QDeadlineTimer>
#include <QList>
#include <QSet>
#include <QString>

#include <algorithm>
#include <optional>

namespace tz {

// Which directory a service name stood for when the grant was made: a service
// removed and made again under its name (or its logging toggled, which swaps the
// directory) is another directory, and needs polkit again. The birth time tells a
// new directory from an old one whose inode number the file system has given out
// again (ext4 does so at once); where the file system keeps none, it is 0.
struct DirectoryId {
    quint64 dev = 0;
    quint64 ino = 0;
    qint64 bornSec = 0;
    quint32 bornNsec = 0;
    bool operator==(const DirectoryId &) const = default;
};

// The log browser lists a service's files (one polkit check, which may ask for a
// password) and then opens each of them. Where the policy says auth_admin, polkit
// would ask again for every file: a password per file, and with the app's opens
// not allowed to ask, none of them could be opened at all. So one ListLogs that
// polkit allowed lets the same caller (unique bus name: never reused, and never
// another process's) open the files it listed, from the same directory, for
// lifeSeconds. A new list, a file not on it or a later call needs polkit again.
class LogGrants {
public:
    // Grants one user holds at once, over all their callers: each needs a ListLogs
    // that polkit allowed, and this bounds what a flood of them can keep here.
    static constexpr qsizetype perUserMax = 64;

    explicit LogGrants(uint lifeSeconds) : m_lifeMs(qint64(lifeSeconds) * 1000) {}

    void grant(const QString &caller, const QString &service, DirectoryId dir, uint uid, QSet<QString> files)
    {
        if (m_lifeMs <= 0)
            return;
        m_grants.removeIf([&](const Grant &g) { return g.until.hasExpired() || (g.caller == caller && g.service == service); });
        const auto ofUser = [uid](const Grant &g) { return g.uid == uid; };
        if (std::count_if(m_grants.cbegin(), m_grants.cend(), ofUser) >= perUserMax)
            m_grants.erase(std::find_if(m_grants.begin(), m_grants.end(), ofUser)); // the user's oldest
        m_grants.append({caller, service, dir, uid, std::move(files), QDeadlineTimer(m_lifeMs)});
    }

    // The uid polkit allowed, when caller may open file of service (still the
    // directory dir) on a grant.
    std::optional<uint> find(const QString &caller, const QString &service, DirectoryId dir, const QString &file) const
    {
        for (const Grant &g : m_grants) {
            if (g.caller == caller && g.service == service && g.dir == dir && !g.until.hasExpired() && g.files.contains(file))
                return g.uid;
        }
        return std::nullopt;
    }

private:
    struct Grant {
        QString caller;
        QString service;
        DirectoryId dir;
        uint uid = 0;
        QSet<QString> files;
        QDeadlineTimer until;
    };

    qint64 m_lifeMs;
    QList<Grant> m_grants; // oldest first
};

} // namespace tz
