// SPDX-License-Identifier: MIT
// Reading and changing the scan directory with openat and O_NOFOLLOW, so that no path is re-resolved.
#include "servicetree.h"

#include "backoff.h"
#include "control.h"
#include "direntries.h"
#include "errors.h"
#include "exitrecord.h"
#include "servicedir.h"
#include "status.h"
#include "tai64n.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz {

namespace {

// Calls take(key, value) for each "key=value" line of one of the helper's records.
template <class Take>
void forEachSetting(const QByteArray &text, Take &&take)
{
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            take(line.left(eq), line.mid(eq + 1));
    }
}

// Log file names multilog makes: "current" and archives "@" + 24 hex + ".s" or ".u".
bool isLogFileName(const QString &name)
{
    static const QRegularExpression archive(QStringLiteral("^@[0-9a-f]{24}\\.[su]$"));
    return name == QLatin1String("current") || archive.match(name).hasMatch();
}

// The TAI64N label a multilog "t" line starts with, in Unix ms, or 0.
qint64 stampOf(const QByteArray &line)
{
    if (line.size() < 25)
        return 0;
    const auto t = parseTai64n(std::string_view(line.constData(), 25));
    return t ? unixMs(*t) : 0;
}

} // namespace

Fd &Fd::operator=(Fd &&o) noexcept
{
    if (this != &o) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = o.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int Fd::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

QByteArray ServiceMeta::encode() const
{
    QByteArray out;
    out += "owner=" + QByteArray::number(owner) + '\n';
    out += "user=" + user.toUtf8() + '\n';
    out += "template=" + templateId.toUtf8() + '\n';
    out += "log-size=" + QByteArray::number(logSize) + '\n';
    out += "log-count=" + QByteArray::number(logCount) + '\n';
    out += QByteArray("log-timestamps=") + (logTimestamps ? "1" : "0") + '\n';
    return out;
}

ServiceMeta ServiceMeta::decode(const QByteArray &text)
{
    ServiceMeta m;
    forEachSetting(text, [&](const QByteArray &key, const QByteArray &value) {
        if (key == "owner")
            m.owner = value.toUInt();
        else if (key == "user")
            m.user = QString::fromUtf8(value);
        else if (key == "template")
            m.templateId = QString::fromUtf8(value);
        else if (key == "log-size")
            m.logSize = value.toUInt();
        else if (key == "log-count")
            m.logCount = value.toUInt();
        else if (key == "log-timestamps")
            m.logTimestamps = value == "1";
    });
    return m;
}

QByteArray LoggingChange::encode() const
{
    QByteArray out;
    out += QByteArray("logging=") + (on ? "on" : "off") + '\n';
    out += QByteArray("want=") + (want == 'u' ? "up" : want == 'd' ? "down" : "once") + '\n';
    out += QByteArray("running=") + (running ? "1" : "0") + '\n';
    out += QByteArray("supervised=") + (supervised ? "1" : "0") + '\n';
    if (!stage.isEmpty())
        out += "stage=" + stage + '\n';
    out += "helper=" + QByteArray::number(helper) + ' ' + QByteArray::number(helperStart) + '\n';
    return out;
}

std::optional<LoggingChange> LoggingChange::decode(const QByteArray &text)
{
    LoggingChange c;
    bool direction = false;
    bool want = false;
    forEachSetting(text, [&](const QByteArray &key, const QByteArray &value) {
        if (key == "logging" && (value == "on" || value == "off")) {
            c.on = value == "on";
            direction = true;
        } else if (key == "want" && (value == "up" || value == "down" || value == "once")) {
            c.want = value == "up" ? 'u' : value == "down" ? 'd' : 'o';
            want = true;
        } else if (key == "running") {
            c.running = value == "1";
        } else if (key == "supervised") {
            c.supervised = value == "1";
        } else if (key == "stage") {
            c.stage = value;
        } else if (key == "helper") {
            const QList<QByteArray> parts = value.split(' ');
            c.helper = static_cast<pid_t>(parts.value(0).toInt());
            c.helperStart = parts.value(1).toULongLong();
        }
    });
    // An off change always names its stage, and a stage is one of ours: a dot-name
    // of the scan directory, never a path.
    if (!direction || !want || (!c.on && (!c.stage.startsWith(".tazuna-relog-") || c.stage.contains('/'))))
        return std::nullopt;
    return c;
}

std::optional<QByteArray> readSmallFile(int dirFd, const char *path, qsizetype limit)
{
    const int fd = ::openat(dirFd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return std::nullopt;
    }
    QByteArray out;
    char buf[4096];
    while (out.size() < limit) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, std::min<qsizetype>(n, limit - out.size()));
    }
    ::close(fd);
    return out;
}

qint64 unixMs(const Tai64n &t)
{
    const timespec ts = t.toUnix();
    return static_cast<qint64>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

ExitInfo exitInfo(const ExitRecord &r)
{
    ExitInfo e;
    e.when = unixMs(r.ended);
    e.pid = r.pid;
    e.exitCode = r.kind == ExitKind::Exited ? r.code : -1;
    e.signal = r.kind == ExitKind::Signalled ? r.code : 0;
    e.ranMs = static_cast<qint64>(r.ranMs());
    e.asked = !r.crashed() && r.kind != ExitKind::Unknown;
    return e;
}

bool removeTree(int dirFd, const char *name)
{
    struct stat st {};
    if (::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return ::unlinkat(dirFd, name, 0) == 0;
    const Fd dir(::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.valid())
        return false;
    std::vector<std::string> children;
    bool ok = forEachEntry(dir.get(), [&](const dirent &e) {
        const std::string_view n(e.d_name);
        if (n != "." && n != "..")
            children.emplace_back(n);
        return true;
    });
    for (const std::string &child : children)
        ok = removeTree(dir.get(), child.c_str()) && ok;
    return ::unlinkat(dirFd, name, AT_REMOVEDIR) == 0 && ok;
}

namespace {

// log/main of a service, each step opened without following a symlink (O_NOFOLLOW on
// "log/main" would check main only).
Fd openLogMain(int serviceFd)
{
    const Fd log(::openat(serviceFd, paths::log, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!log.valid())
        return Fd();
    return Fd(::openat(log.get(), "main", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
}

} // namespace

Check checkServiceName(const QString &name)
{
    if (name.size() > 255)
        return Refusal{errors::invalidName, QStringLiteral("name: a service name has at most 255 bytes")};
    const QByteArray bytes = name.toUtf8();
    // C1 controls (U+0080..U+009F) are control characters too, though not bytes < 32.
    const bool c1 = std::any_of(name.cbegin(), name.cend(), [](QChar c) { return c.unicode() >= 0x80 && c.unicode() <= 0x9f; });
    if (!isServiceName(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())))
        || name == QLatin1String("..") || bytes.contains('\0') || c1)
        return Refusal{errors::invalidName,
                       QStringLiteral("name: a service name is 1 to 255 bytes without '/', control characters or a leading '.'")};
    return std::nullopt;
}

Check checkNewServiceName(const QString &name)
{
    if (auto bad = checkServiceName(name))
        return bad;
    static const QRegularExpression portable(QStringLiteral("^[A-Za-z0-9_@+][A-Za-z0-9._@+-]*$"));
    if (!portable.match(name).hasMatch())
        return Refusal{errors::invalidName, QStringLiteral("name: a new service's name uses only ASCII letters, digits and "
                                                           ". _ - @ + and starts with neither '.' nor '-'")};
    return std::nullopt;
}

ServiceTree::ServiceTree(QString scanDir) : m_path(std::move(scanDir)) {}

QString ServiceTree::open()
{
    const QByteArray p = QFile::encodeName(m_path);
    if (::mkdir(p.constData(), 0755) != 0 && errno != EEXIST)
        return QStringLiteral("cannot create %1: %2").arg(m_path, QString::fromUtf8(reasonText(errno)));
    const int fd = ::open(p.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return QStringLiteral("cannot open %1: %2").arg(m_path, QString::fromUtf8(reasonText(errno)));
    m_dir = Fd(fd);
    return {};
}

std::vector<QString> ServiceTree::names() const
{
    std::vector<QString> out;
    forEachEntry(m_dir.get(), [&](const dirent &e) {
        struct stat st {};
        if (e.d_name[0] != '.' && ::fstatat(m_dir.get(), e.d_name, &st, 0) == 0 && S_ISDIR(st.st_mode))
            out.push_back(QFile::decodeName(e.d_name));
        return true;
    });
    std::sort(out.begin(), out.end());
    return out;
}

Outcome<Fd> ServiceTree::openService(const QString &name) const
{
    if (auto bad = checkServiceName(name))
        return *bad;
    const QByteArray n = QFile::encodeName(name);
    const int fd = ::openat(m_dir.get(), n.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Refusal{errors::noSuchService, QStringLiteral("there is no service called %1").arg(name)};
    return Fd(fd);
}

std::optional<ServiceMeta> ServiceTree::readMeta(int serviceFd)
{
    struct stat st {};
    if (::fstatat(serviceFd, metaFile, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != 0)
        return std::nullopt; // only a root-owned record is believed
    const auto text = readSmallFile(serviceFd, metaFile, 4096);
    if (!text)
        return std::nullopt;
    return ServiceMeta::decode(*text);
}

ServiceInfo ServiceTree::info(const QString &name, int serviceFd, ServiceTimes *times) const
{
    ServiceInfo s;
    s.name = name;
    struct stat st {};
    s.normallyUp = ::fstatat(serviceFd, paths::down, &st, 0) != 0;
    struct stat self {};
    struct stat logSt {};
    s.logging = ::fstat(serviceFd, &self) == 0 && (self.st_mode & S_ISVTX)
        && ::fstatat(serviceFd, paths::log, &logSt, 0) == 0 && S_ISDIR(logSt.st_mode);
    if (const auto meta = readMeta(serviceFd)) {
        s.ownerUid = meta->owner;
        s.runAs = meta->user;
        s.templateId = meta->templateId;
    }
    if (::fstatat(serviceFd, paths::backoff, &st, 0) == 0) {
        const auto bo = readBackoffState(serviceFd);
        s.backoff = bo && bo->pending ? QStringLiteral("waiting") : QStringLiteral("armed");
    }

    const auto reach = probeSupervise(serviceFd);
    const bool running = reach.ok() && reach->state == SuperviseState::Running;
    const auto status = readStatusFile(serviceFd);
    if (status.ok() && status->status) {
        const ServiceStatus &ss = *status->status;
        s.pid = running ? ss.pid : 0;
        const timespec now = Tai64n::now().toUnix();
        const timespec since = ss.since.toUnix();
        s.seconds = std::max<qint64>(0, static_cast<qint64>(now.tv_sec) - static_cast<qint64>(since.tv_sec));
        if (times)
            times->sinceMs = unixMs(ss.since);
        s.want = ss.want == Want::Up ? QStringLiteral("up") : ss.want == Want::Down ? QStringLiteral("down") : QStringLiteral("once");
        if (running)
            s.state = ss.pid == 0 ? QStringLiteral("down") : ss.paused ? QStringLiteral("paused") : QStringLiteral("up");
    }

    const auto exits = readExitLog(serviceFd);
    if (exits.ok()) {
        const qint64 minuteAgo = unixMs(Tai64n::now()) - crashWindowMs;
        for (const ExitRecord &r : exits->records)
            if (r.crashed() && unixMs(r.ended) >= minuteAgo) {
                ++s.crashes;
                if (times)
                    times->crashEndsMs.push_back(unixMs(r.ended));
            }
    }
    return s;
}

Outcome<ServiceInfo> ServiceTree::info(const QString &name) const
{
    auto fd = openService(name);
    if (!fd.ok())
        return fd.refusal();
    return info(name, fd.value().get());
}

Outcome<ServiceDetails> ServiceTree::details(const QString &name) const
{
    auto fd = openService(name);
    if (!fd.ok())
        return fd.refusal();
    const int dir = fd.value().get();
    ServiceDetails d;
    d.info = info(name, dir);
    d.runScript = QString::fromUtf8(readSmallFile(dir, paths::run).value_or(QByteArray()));
    d.logRunScript = QString::fromUtf8(readSmallFile(dir, "log/run").value_or(QByteArray()));
    const auto exits = readExitLog(dir);
    if (exits.ok()) {
        for (const ExitRecord &r : exits->records)
            d.exits.push_back(exitInfo(r));
    }
    return d;
}

Check ServiceTree::control(const QString &name, const std::string &letters, bool log) const
{
    auto fd = openService(name);
    if (!fd.ok())
        return fd.refusal();
    int dir = fd.value().get();
    Fd logFd;
    if (log) {
        logFd = Fd(::openat(dir, paths::log, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!logFd.valid())
            return Refusal{errors::notSupervised, QStringLiteral("%1 has no logger").arg(name)};
        dir = logFd.get();
    }
    const auto sent = sendCommands(dir, letters);
    if (!sent.ok())
        return Refusal{errors::failed, QStringLiteral("%1: unable to %2").arg(name, QString::fromStdString(sent.error().describe()))};
    if (sent->state != SuperviseState::Running)
        return Refusal{errors::notSupervised, QStringLiteral("supervise is not running for %1").arg(name)};
    return std::nullopt;
}

Outcome<LogFileInfoList> ServiceTree::listLogs(const QString &name) const
{
    auto fd = openService(name);
    if (!fd.ok())
        return fd.refusal();
    const Fd logDir = openLogMain(fd.value().get());
    LogFileInfoList out;
    if (!logDir.valid())
        return out;
    forEachEntry(logDir.get(), [&](const dirent &e) {
        const QString n = QFile::decodeName(e.d_name);
        if (!isLogFileName(n))
            return true;
        const int f = ::openat(logDir.get(), e.d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (f < 0)
            return true;
        struct stat fst {};
        if (::fstat(f, &fst) != 0 || !S_ISREG(fst.st_mode)) {
            ::close(f);
            return true;
        }
        LogFileInfo li;
        li.name = n;
        li.size = static_cast<quint64>(fst.st_size);
        char head[25];
        if (::pread(f, head, sizeof head, 0) == static_cast<ssize_t>(sizeof head))
            li.firstMs = stampOf(QByteArray(head, sizeof head));
        // The last complete line starts after the newline before the final one.
        const off_t tailSize = std::min<off_t>(fst.st_size, 4096);
        QByteArray tail(static_cast<qsizetype>(tailSize), '\0');
        if (tailSize > 0 && ::pread(f, tail.data(), static_cast<size_t>(tailSize), fst.st_size - tailSize) == tailSize) {
            qsizetype end = tail.size();
            if (tail.endsWith('\n'))
                --end;
            const qsizetype start = tail.lastIndexOf('\n', end - 1) + 1;
            li.lastMs = stampOf(tail.mid(start, end - start));
        }
        if (li.lastMs == 0)
            li.lastMs = li.firstMs;
        ::close(f);
        out.push_back(li);
        return true;
    });
    std::sort(out.begin(), out.end(), [](const LogFileInfo &a, const LogFileInfo &b) {
        // Archives by name (their names are their end times), current last.
        if ((a.name == QLatin1String("current")) != (b.name == QLatin1String("current")))
            return b.name == QLatin1String("current");
        return a.name < b.name;
    });
    return out;
}

Outcome<int> ServiceTree::openLog(const QString &name, const QString &file) const
{
    if (file.size() > 64 || !isLogFileName(file))
        return Refusal{errors::noSuchLogFile, QStringLiteral("%1 is not a log file name (current or an @….s/.u archive)").arg(file.left(64))};
    auto fd = openService(name);
    if (!fd.ok())
        return fd.refusal();
    struct stat st {};
    const Fd logDir = openLogMain(fd.value().get());
    if (!logDir.valid())
        return Refusal{errors::noSuchLogFile, QStringLiteral("%1 has no log directory").arg(name)};
    const QByteArray f = QFile::encodeName(file);
    Fd out(::openat(logDir.get(), f.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!out.valid())
        return Refusal{errors::noSuchLogFile, QStringLiteral("%1 has no log file %2 (or it is a symlink)").arg(name, file)};
    // A second hard link could be some other file of the system put there by the
    // user multilog runs as: a log file has exactly one name. That alone is racy (the
    // link can be renamed away between the open and the fstat), so the file must
    // also belong to whoever owns log/main: both are facts of the inodes we hold.
    struct stat dirSt {};
    if (::fstat(out.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1
        || ::fstat(logDir.get(), &dirSt) != 0 || st.st_uid != dirSt.st_uid)
        return Refusal{errors::noSuchLogFile, QStringLiteral("%1 in the log of %2 is not a plain log file").arg(file, name)};
    return out.release();
}

} // namespace tz
