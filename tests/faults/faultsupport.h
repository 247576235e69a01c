// SPDX-License-Identifier: MIT
// The fault suite's shared parts: a logged producer tree under our svscan, process lookup, the line audit.
#pragma once

#include "testsupport.h"

#include <QList>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace tz::test {

// A process found by where it works (its cwd): each tool runs in its own
// directory of the tree (supervise in the service directory, multilog in log/).
struct TreeProcess {
    int pid = 0;
    int ppid = 0;
    QByteArray comm;
    QString cwd;
};
QList<TreeProcess> processesUnder(const QString &root);
// The pids with this comm working in exactly dir.
QList<int> pidsIn(const QString &dir, const QByteArray &comm);

// Every line of a multilog directory (archives by name, then current), checked
// against the producer's format: "@<24 hex> <12-digit seq> <10-digit pid> <filler>".
struct LineAudit {
    qint64 lines = 0;      // well-formed lines
    qint64 torn = 0;       // anything else
    qint64 duplicated = 0; // a sequence number seen before (same run)
    qint64 reordered = 0;  // a new sequence number below the highest seen
    // Numbers out of order once only each number's last copy is kept: a logger that
    // writes a batch again after a kill leaves its first copies where they were, and
    // the log is still every line in order exactly when this is 0.
    qint64 reorderedLastCopies = 0;
    qint64 missing = 0;    // numbers between the first and the last that no line holds
    quint64 first = 0;
    quint64 last = 0;
    QSet<int> runs;        // producer pids: more than one means the service ran twice
    QList<QPair<quint64, quint64>> gaps;  // missing ranges [from, to]
    QList<QPair<quint64, quint64>> repeats; // repeated ranges [from, to]
    qint64 files = 0;
    qint64 badFiles = 0;   // archives or current not ending in a newline, or with bad names
    qint64 split = 0;      // whole lines begun in one file and ended at the start of the next
    QString describe() const;
    // Nothing torn, repeated, reordered or missing, and every file ends a line.
    bool everyLineOnce() const { return torn == 0 && badFiles == 0 && duplicated == 0 && reordered == 0 && missing == 0; }
};
// lineLength: the producer's line length with its newline (its argument; 64 by default).
LineAudit auditLog(const QString &logDir, int lineLength = 64);

// A scan directory with "prod" (the producer, sticky bit + log/: multilog
// t s100000 n5 ./main) and "idle" (sleeps), run by our svscan.
class ProducerTree {
public:
    // logScript: the logger's multilog arguments.
    explicit ProducerTree(const QString &logScript = QStringLiteral("t s100000 n5 ./main"));
    // The same services in a scan directory someone else runs (the helper's svscan)
    // and stops; only the services are made here.
    ProducerTree(const QString &logScript, const QString &scanDir);
    ~ProducerTree();

    // wrapper: a command that execs its last two arguments (svscan and the scan
    // directory) after setting something up, e.g. a private mount namespace.
    bool startSvscan(const QStringList &wrapper = {});
    // Where the log directory is seen from here, when svscan's tree sees another
    // file system there (a tmpfs in its own mount namespace): /proc/PID/root.
    void setLogPrefix(const QString &prefix) { m_logPrefix = prefix; }
    void killSvscan(int sig);
    // Whether the running svscan holds the pipe the producer writes to: a svscan
    // started again takes it back at its first scan, and until then the logger is
    // its only reader.
    bool svscanHoldsPipe() const;
    QProcess *svscan() { return m_svscan.get(); }
    QByteArray svscanOutput(); // stdout+stderr of every svscan so far

    QString scanDir() const { return m_scan; }
    QString prodDir() const { return m_scan + QStringLiteral("/prod"); }
    QString logDir() const { return m_logPrefix + m_scan + QStringLiteral("/prod/log/main"); }

    // What runs in the tree and what the logger wrote last, for a failure's message:
    // each process (pid, parent, name, directory), the supervise status of prod and
    // prod/log, the log directory's files and svscan's output.
    QString snapshot();

    int producerPid() const;  // 0 unless exactly one
    int multilogPid() const;  // 0 unless exactly one
    int supervisePid(const QString &dir) const;

    // Waits until the logs hold more lines than now (the pipeline flows).
    bool waitForFlow(qint64 moreLines = 2000, int timeoutMs = 20000);
    qint64 loggedLines() const;

    // The audit of a live directory races with rotation (an archive can be
    // deleted between listing and reading): the producer is stopped (SIGSTOP)
    // until the logger has written everything, audited, and continued.
    LineAudit quietAudit();

    // Stops everything under the tree: svscan, supervise (svc -dx), the services.
    void stop();

private:
    QTemporaryDir m_dir;
    QString m_scan;
    std::unique_ptr<QProcess> m_svscan;
    QByteArray m_output;
    QString m_logPrefix;
    bool m_owned = true;
};

// How long the optional soak runs: TAZUNA_SOAK_SECONDS, else 0.
int soakSeconds();

} // namespace tz::test
