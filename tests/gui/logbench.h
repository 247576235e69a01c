// SPDX-License-Identifier: MIT
// The log browser on a large multilog directory, measured: shared by its test and tazuna-logbench.
#pragma once

#include <QString>
#include <QStringList>

namespace tz::bench {

// Writes `archives` archives of `archiveBytes` each and a current of about 1 MB into `dir`,
// in multilog's format (TAI64N-stamped lines, archive names sorted by age). Returns the file
// names, oldest first and current last; empty on a write error.
QStringList writeLogDirectory(const QString &dir, int archives, qint64 archiveBytes);

// The names multilog left in `dir`: @…s and @…u archives by age, then current.
QStringList listLogDirectory(const QString &dir);

struct LogFigures {
    double firstScreenMs = 0;  // from setSources until the window holds a screenful of lines
    double indexedMs = 0;      // until every file is indexed
    double searchFullMs = 0;   // one full-text search over every file
    double longestBlockMs = 0; // the longest time the UI thread did not answer its timer
    // The same, per phase: opening and indexing, scrolling, the full search, lines arriving.
    double blockIndexMs = 0;
    double blockScrollMs = 0;
    double blockSearchMs = 0;
    double blockLiveMs = 0;
    int lines = 0;
    int matches = 0;           // lines the full search found
    int arrived = 0;           // lines written to current while a second search ran
    int arrivedFound = 0;      // how many of those the search reported
    bool ok = false;
    QString error;
};

// Opens the files with a LogBrowser on screen, scrolls through them, searches `needle`
// and, while a second search runs, appends lines containing it to current.
LogFigures measureLogBrowser(const QString &dir, const QStringList &names, const QString &needle);

// The service table fed 1000 services and then 1000 changes, in ms.
double measureModelUpdate(int services);

} // namespace tz::bench
