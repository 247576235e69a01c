// SPDX-License-Identifier: MIT
// The helper's settings: built-in defaults, then the config file, then the command line.
#pragma once

#include <QString>
#include <QStringList>

namespace tz {

struct HelperConfig {
    QString scanDir = QStringLiteral("/service");
    QString toolsDir;     // where our svscan, supervise, multilog, setuidgid … are
    QString templatesDir; // the *.template files
    QString svscanLog;    // where svscan's stdout and stderr go; empty = /dev/null
    bool replaceName = false; // take over the bus name from a running helper (tests)
    // Bounds that keep one caller or user from crowding out the others (0 = none);
    // see the README.
    uint maxServicesPerUser = 32;       // services a non-root user may own
    uint maxOpenLogPerSecond = 32;      // OpenLog calls per caller (bus name) and per user
    uint maxPendingAuthorizations = 8;  // polkit checks under way per caller and 4x per user
    uint logGrantSeconds = 120;         // how long one allowed ListLogs lets its caller open the files it listed
};

// Reads "key = value" lines (# starts a comment) into config. Unknown keys and
// malformed lines are errors so that a typo never silently falls back to a default.
// Returns an empty string on success, else the problem in English.
QString loadConfigFile(const QString &path, HelperConfig &config);

// The folder next to the helper's executable that holds the tools (build tree or
// installed libexec folder), and the templates folder next to it.
QString defaultToolsDir();
QString defaultTemplatesDir();

} // namespace tz
