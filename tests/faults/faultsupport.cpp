// SPDX-License-Identifier: MIT
// The fault suite's shared parts: the producer tree, process lookup by working directory, the line audit.
#include "faultsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <csignal>
#include <limits>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz::test {

QList<TreeProcess> processesUnder(const QString &root)
{
    QList<TreeProcess> out;
    const QString canonical = QFileInfo(root).canonicalFilePath();
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const int pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        const QString cwd = QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid));
        if (cwd != canonical && !cwd.startsWith(canonical + QLatin1Char('/')))
            continue;
        TreeProcess p;
        p.pid = pid;
        p.cwd = cwd;
        p.comm = readFile(QStringLiteral("/proc/%1/comm").arg(pid)).trimmed();
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const qsizetype close = stat.lastIndexOf(')');
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.value(0) == "Z")
            continue; // a zombie works nowhere any more
        p.ppid = fields.value(1).toInt();
        out << p;
    }
    return out;
}

QList<int> pidsIn(const QString &dir, const QByteArray &comm)
{
    QList<int> out;
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    for (const TreeProcess &p : processesUnder(dir))
        if (p.cwd == canonical && p.comm == comm)
            out << p.pid;
    return out;
}

QString LineAudit::describe() const
{
    QStringList runList;
    for (int r : runs)
        runList << QString::number(r);
    QString s = QStringLiteral("lines=%1 torn=%2 duplicated=%3 reordered=%4 (last copies: %5) missing=%6 first=%7 last=%8 runs=[%9] files=%10 badFiles=%11 split=%12")
                    .arg(lines).arg(torn).arg(duplicated).arg(reordered).arg(reorderedLastCopies).arg(missing).arg(first).arg(last)
                    .arg(runList.join(QLatin1Char(','))).arg(files).arg(badFiles).arg(split);
    for (const auto &g : gaps.mid(0, 5))
        s += QStringLiteral(" gap=%1..%2").arg(g.first).arg(g.second);
    for (const auto &r : repeats.mid(0, 5))
        s += QStringLiteral(" repeat=%1..%2").arg(r.first).arg(r.second);
    return s;
}

namespace {

constexpr qsizetype stampSize = 26;  // "@" + 24 hex + " "
constexpr qsizetype payloadSize = 63; // without the newline
const QByteArray filler("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM");

bool allDigits(const char *p, int n)
{
    for (int i = 0; i < n; ++i)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

bool isStamp(const char *p)
{
    if (p[0] != '@' || p[25] != ' ')
        return false;
    for (int i = 1; i < 25; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(p[i])))
            return false;
    return true;
}

} // namespace

LineAudit auditLog(const QString &logDir, int lineLength)
{
    LineAudit a;
    const qsizetype payload = lineLength - 1;
    QByteArray expected;
    while (expected.size() < payload - 24)
        expected += filler;
    expected.truncate(payload - 24);
    const QDir d(logDir);
    QStringList names = d.entryList({QStringLiteral("@*")}, QDir::Files, QDir::Name);
    if (d.exists(QStringLiteral("current")))
        names << QStringLiteral("current");
    QMap<int, std::vector<quint64>> seqs; // per producer run, in log order
    QByteArray carry; // the unfinished end of the previous file
    for (const QString &name : names) {
        ++a.files;
        QByteArray content = readFile(d.filePath(name));
        const bool isCurrent = name == QLatin1String("current");
        if (!isCurrent && ((name.size() != 27) || !(name.endsWith(QLatin1String(".s")) || name.endsWith(QLatin1String(".u")))))
            ++a.badFiles;
        // A line a file ended in the middle of may go on at the start of the next
        // one (a kill, then the next logger's .u rotation): joined, it is whole.
        // A next file that begins with a stamp holds no rest: the piece is torn.
        if (!carry.isEmpty() && content.startsWith('@')) {
            ++a.torn;
            carry.clear();
        }
        const qsizetype joined = carry.size();
        content.prepend(carry);
        carry.clear();
        if (!content.isEmpty() && !content.endsWith('\n')) {
            // A running logger may hold the end of current; anything else is damage.
            if (!isCurrent)
                ++a.badFiles;
            const qsizetype end = content.lastIndexOf('\n') + 1;
            carry = content.mid(end);
            content.truncate(end);
        }
        qsizetype pos = 0;
        while (pos < content.size()) {
            const qsizetype nl = content.indexOf('\n', pos);
            const qsizetype len = nl - pos;
            const char *l = content.constData() + pos;
            const bool split = pos == 0 && joined > 0;
            pos = nl + 1;
            if (len != stampSize + payload || !isStamp(l) || !allDigits(l + stampSize, 12) || l[stampSize + 12] != ' '
                || !allDigits(l + stampSize + 13, 10) || l[stampSize + 23] != ' '
                || QByteArray::fromRawData(l + stampSize + 24, payload - 24) != expected) {
                ++a.torn;
                continue;
            }
            ++a.lines;
            if (split)
                ++a.split;
            const quint64 seq = QByteArray(l + stampSize, 12).toULongLong();
            const int pid = QByteArray(l + stampSize + 13, 10).toInt();
            a.runs.insert(pid);
            seqs[pid].push_back(seq);
        }
    }
    for (auto it = seqs.begin(); it != seqs.end(); ++it) {
        std::vector<quint64> &v = it.value();
        quint64 highest = 0;
        qint64 belowHighest = 0;
        for (quint64 s : v) {
            if (s < highest)
                ++belowHighest; // counted again below if it is a repeat, not a late arrival
            highest = std::max(highest, s);
        }
        a.reordered += belowHighest;
        if (belowHighest > 0) {
            // From the end, a number not seen yet is its last copy; each last copy
            // must be below every last copy after it.
            QSet<quint64> later;
            quint64 lowestLater = std::numeric_limits<quint64>::max();
            for (auto s = v.rbegin(); s != v.rend(); ++s) {
                if (later.contains(*s))
                    continue;
                later.insert(*s);
                if (*s > lowestLater)
                    ++a.reorderedLastCopies;
                lowestLater = std::min(lowestLater, *s);
            }
        }
        std::sort(v.begin(), v.end());
        a.first = a.first ? std::min(a.first, v.front()) : v.front();
        a.last = std::max(a.last, v.back());
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i] == v[i - 1]) {
                ++a.duplicated;
                if (!a.repeats.isEmpty() && a.repeats.last().second + 1 >= v[i])
                    a.repeats.last().second = v[i];
                else
                    a.repeats.append({v[i], v[i]});
            } else if (v[i] > v[i - 1] + 1) {
                a.missing += static_cast<qint64>(v[i] - v[i - 1] - 1);
                a.gaps.append({v[i - 1] + 1, v[i] - 1});
            }
        }
    }
    // A repeated line also shows as "below the highest" once: not a reordering.
    a.reordered = std::max<qint64>(0, a.reordered - a.duplicated);
    return a;
}

ProducerTree::ProducerTree(const QString &logScript) : ProducerTree(logScript, QString())
{
}

ProducerTree::ProducerTree(const QString &logScript, const QString &scanDir)
{
    m_owned = scanDir.isEmpty();
    m_scan = m_owned ? m_dir.filePath(QStringLiteral("service")) : scanDir;
    // Made under dot-names (svscan skips them) and renamed in whole: a running
    // svscan must see the sticky bit and log/ the moment it sees the directory.
    const QString prod = m_scan + QStringLiteral("/.tz-fault-prod");
    const QString idle = m_scan + QStringLiteral("/.tz-fault-idle");
    QDir().mkpath(prod + QStringLiteral("/log"));
    QDir().mkpath(idle);
    writeFile(prod + QStringLiteral("/run"), QByteArray("#!/bin/sh\nexec ") + QByteArray(TAZUNA_FAULT_PRODUCER) + "\n", 0755);
    writeFile(prod + QStringLiteral("/log/run"), "#!/bin/sh\nexec multilog " + logScript.toUtf8() + "\n", 0755);
    writeFile(idle + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 100000\n", 0755);
    ::chmod(QFile::encodeName(prod).constData(), 01755);
    QDir().rename(prod, m_scan + QStringLiteral("/prod"));
    QDir().rename(idle, m_scan + QStringLiteral("/idle"));
}

ProducerTree::~ProducerTree() { stop(); }

bool ProducerTree::startSvscan(const QStringList &wrapper)
{
    if (m_svscan) {
        m_output += m_svscan->readAll();
        m_svscan->waitForFinished(0);
    }
    m_svscan = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), toolDir() + QStringLiteral(":/usr/bin:/bin"));
    m_svscan->setProcessEnvironment(env);
    m_svscan->setProcessChannelMode(QProcess::MergedChannels);
    if (wrapper.isEmpty())
        m_svscan->start(toolPath(QStringLiteral("svscan")), {m_scan});
    else
        m_svscan->start(wrapper.first(), wrapper.mid(1) + QStringList{toolPath(QStringLiteral("svscan")), m_scan});
    return m_svscan->waitForStarted();
}

void ProducerTree::killSvscan(int sig)
{
    if (!m_svscan || m_svscan->state() == QProcess::NotRunning)
        return;
    ::kill(static_cast<pid_t>(m_svscan->processId()), sig);
    m_svscan->waitForFinished(5000);
}

bool ProducerTree::svscanHoldsPipe() const
{
    const int producer = producerPid();
    if (!producer || !m_svscan || m_svscan->state() != QProcess::Running)
        return false;
    const QString pipe = fdTarget(producer, 1);
    if (!pipe.startsWith(QLatin1String("pipe:")))
        return false;
    const qint64 svscan = m_svscan->processId();
    const QStringList fds = QDir(QStringLiteral("/proc/%1/fd").arg(svscan)).entryList(QDir::Files | QDir::System);
    return std::any_of(fds.begin(), fds.end(), [&](const QString &fd) { return fdTarget(svscan, fd.toInt()) == pipe; });
}

QByteArray ProducerTree::svscanOutput()
{
    if (m_svscan)
        m_output += m_svscan->readAll();
    return m_output;
}

QString ProducerTree::snapshot()
{
    QString s = QStringLiteral("\nprocesses:");
    for (const TreeProcess &p : processesUnder(m_scan))
        s += QStringLiteral(" %1<%2 %3 %4;").arg(p.pid).arg(p.ppid).arg(QString::fromUtf8(p.comm), p.cwd.mid(m_scan.size()));
    for (const QString &d : {prodDir(), prodDir() + QStringLiteral("/log")})
        s += QStringLiteral("\nsvstat %1: %2").arg(d.mid(m_scan.size()), QString::fromUtf8(run(toolPath(QStringLiteral("svstat")), {d}).out.trimmed()));
    s += QStringLiteral("\nlog:");
    for (const QFileInfo &f : QDir(logDir()).entryInfoList(QDir::Files, QDir::Name))
        s += QStringLiteral(" %1(%2)").arg(f.fileName()).arg(f.size());
    s += QStringLiteral("\nsvscan said: ") + QString::fromUtf8(svscanOutput().right(2000));
    return s;
}

int ProducerTree::producerPid() const
{
    const QList<int> p = pidsIn(prodDir(), "tz-fault-produc");
    return p.size() == 1 ? p.first() : 0;
}

int ProducerTree::multilogPid() const
{
    // Ours works in log/; 0.76's changes into the log directory it writes.
    const QList<int> p = pidsIn(prodDir() + QStringLiteral("/log"), "multilog") + pidsIn(logDir(), "multilog");
    return p.size() == 1 ? p.first() : 0;
}

int ProducerTree::supervisePid(const QString &dir) const
{
    const QList<int> p = pidsIn(dir, "supervise");
    return p.size() == 1 ? p.first() : 0;
}

qint64 ProducerTree::loggedLines() const
{
    qint64 bytes = 0;
    const QDir d(logDir());
    for (const QFileInfo &f : d.entryInfoList({QStringLiteral("@*"), QStringLiteral("current")}, QDir::Files))
        bytes += f.size();
    return bytes / (stampSize + payloadSize + 1);
}

bool ProducerTree::waitForFlow(qint64 moreLines, int timeoutMs)
{
    // Archives are deleted as new ones come: follow the newest sequence number instead.
    const auto newest = [&]() -> quint64 {
        const QByteArray c = readFile(logDir() + QStringLiteral("/current"));
        const qsizetype end = c.lastIndexOf('\n');
        if (end < stampSize + payloadSize)
            return 0;
        return c.mid(end - payloadSize, 12).toULongLong();
    };
    const quint64 start = newest();
    return waitFor([&] { return newest() >= start + static_cast<quint64>(moreLines); }, timeoutMs);
}

void ProducerTree::stop()
{
    if (!m_owned)
        return;
    killSvscan(SIGKILL);
    for (const QString &d : {prodDir(), prodDir() + QStringLiteral("/log"), m_scan + QStringLiteral("/idle")}) {
        const int fd = ::open(QFile::encodeName(d + QStringLiteral("/supervise/control")).constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) {
            (void)!::write(fd, "dx", 2);
            ::close(fd);
        }
    }
    waitFor([&] { return processesUnder(m_scan).isEmpty(); }, 5000);
    for (const TreeProcess &p : processesUnder(m_scan))
        ::kill(p.pid, SIGKILL);
    waitFor([&] { return processesUnder(m_scan).isEmpty(); }, 5000);
}

LineAudit ProducerTree::quietAudit()
{
    const int producer = producerPid();
    if (producer)
        ::kill(producer, SIGSTOP);
    // Written out once current has not grown for a while (the pipe holds at most 1 MiB).
    qint64 last = -1;
    int still = 0;
    waitFor([&] {
        const qint64 now = QFileInfo(logDir() + QStringLiteral("/current")).size();
        still = now == last ? still + 1 : 0;
        last = now;
        return still >= 40;
    }, 15000);
    LineAudit a = auditLog(logDir());
    if (producer)
        ::kill(producer, SIGCONT);
    return a;
}

int soakSeconds() { return qEnvironmentVariableIntValue("TAZUNA_SOAK_SECONDS"); }

} // namespace tz::test
