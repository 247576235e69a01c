// SPDX-License-Identifier: MIT
// The helper's D-Bus methods: validate first, then polkit, then the engine's protocol on the tree.
#include "helper.h"

#include "actions.h"
#include "authorizer.h"
#include "control.h"
#include "direntries.h"
#include "errors.h"
#include "exitrecord.h"
#include "names.h"
#include "scanlauncher.h"
#include "servicedir.h"
#include "status.h"
#include "treewatcher.h"

#include <QDBusConnection>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace tz {

namespace {

// Calls done(true) once cond() holds, or done(false) after timeoutMs. Used only while
// an operation waits for supervise processes to go or come: never while idle.
void waitUntil(QObject *context, std::function<bool()> cond, int timeoutMs, std::function<void(bool)> done)
{
    auto *timer = new QTimer(context);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, context, [timer, clock, cond = std::move(cond), timeoutMs, done = std::move(done)] {
        const bool ok = cond();
        if (ok || clock->elapsed() > timeoutMs) {
            timer->stop();
            timer->deleteLater();
            done(ok);
        }
    });
    timer->start();
}

bool superviseRunning(int dirFd)
{
    const auto reach = probeSupervise(dirFd);
    return reach.ok() && reach->state == SuperviseState::Running;
}

// A process working in the directory of dirFd (its cwd) whose name is comm, or any
// such process when comm is null; 0 when there is none. supervise works there, and
// so does ./run unless it changed directory. Unlike the ok fifo, this also sees a
// supervise that svscan has just started and that has not made its fifos yet.
pid_t processIn(int dirFd, const char *comm = nullptr)
{
    struct stat dir {};
    const Fd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (::fstat(dirFd, &dir) != 0 || !proc.valid())
        return 0;
    pid_t found = 0;
    forEachEntry(proc.get(), [&](const dirent &e) {
        if (e.d_name[0] < '1' || e.d_name[0] > '9')
            return true;
        char link[300];
        std::snprintf(link, sizeof link, "/proc/%s/cwd", e.d_name);
        struct stat cwd {};
        if (::stat(link, &cwd) != 0 || cwd.st_dev != dir.st_dev || cwd.st_ino != dir.st_ino)
            return true;
        if (comm) {
            std::snprintf(link, sizeof link, "/proc/%s/comm", e.d_name);
            QFile f(QString::fromLatin1(link));
            if (!f.open(QIODevice::ReadOnly) || f.readAll().trimmed() != comm)
                return true;
        }
        found = static_cast<pid_t>(std::atoi(e.d_name));
        return false;
    });
    return found;
}

bool anyProcessIn(int dirFd) { return processIn(dirFd) != 0; }

// Whether the service's supervise writes into the very pipe its logger's supervise
// reads: what svscan gives a service whose supervise it starts after the logger's.
bool joinedToLogger(int serviceFd, int logFd)
{
    const pid_t service = processIn(serviceFd, "supervise");
    const pid_t logger = processIn(logFd, "supervise");
    if (service == 0 || logger == 0)
        return false;
    struct stat out {};
    struct stat in {};
    const QByteArray outPath = "/proc/" + QByteArray::number(service) + "/fd/1";
    const QByteArray inPath = "/proc/" + QByteArray::number(logger) + "/fd/0";
    return ::stat(outPath.constData(), &out) == 0 && ::stat(inPath.constData(), &in) == 0 && S_ISFIFO(out.st_mode)
        && out.st_dev == in.st_dev && out.st_ino == in.st_ino;
}

// How long a ./run or a logger may take over TERM before it gets KILL (svc -k).
constexpr qint64 killAfterMs = 5000;
// How long after that supervise and what it ran may take to go.
constexpr int leaveTimeoutMs = 10000;

// svc -dx, and svc -k once the process has ignored TERM for killAfterMs: a
// condition for waitUntil that holds once supervise and its service have gone.
std::function<bool()> stopAndLeave(std::shared_ptr<Fd> dir)
{
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    return [dir, clock] {
        sendCommands(dir->get(), clock->elapsed() >= killAfterMs ? "dxk" : "dx");
        return !anyProcessIn(dir->get());
    };
}

std::optional<ServiceStatus> statusOf(int dirFd)
{
    const auto s = readStatusFile(dirFd);
    if (!s.ok())
        return std::nullopt;
    return s->status;
}

// Bytes still waiting in the pipe the logger reads: its stdin, reached through /proc.
int unreadLogBytes(int logDirFd)
{
    const auto st = statusOf(logDirFd);
    if (!st || st->pid == 0)
        return 0;
    const QByteArray path = "/proc/" + QByteArray::number(st->pid) + "/fd/0";
    const int fd = ::open(path.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int n = 0;
    if (::ioctl(fd, FIONREAD, &n) != 0)
        n = 0;
    ::close(fd);
    return n;
}

QString userName(uint uid)
{
    const passwd *pw = ::getpwuid(uid);
    return pw ? QString::fromUtf8(pw->pw_name) : QString();
}

bool sameApartFromTime(ServiceInfo a, ServiceInfo b)
{
    a.seconds = b.seconds = 0;
    return a.name == b.name && a.state == b.state && a.pid == b.pid && a.want == b.want && a.normallyUp == b.normallyUp
        && a.logging == b.logging && a.runAs == b.runAs && a.ownerUid == b.ownerUid && a.crashes == b.crashes
        && a.backoff == b.backoff && a.templateId == b.templateId;
}

// Writes a small file under dirFd, created fresh (O_EXCL), never through a symlink.
bool writeNewFile(int dirFd, const char *name, const QByteArray &content, mode_t mode)
{
    const int fd = ::openat(dirFd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return false;
    qsizetype done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.constData() + done, static_cast<size_t>(content.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        done += n;
    }
    const bool ok = ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

// A dot-name for staging under the scan directory, unique for this process.
QByteArray stageName(const char *what, const QString &name)
{
    static unsigned counter = 0;
    return QByteArray(".tazuna-") + what + '-' + QFile::encodeName(name) + '-' + QByteArray::number(::getpid()) + '-'
        + QByteArray::number(++counter);
}

// Makes log/ under serviceFd: run rendered from meta and main owned by the user.
bool makeLogDir(int serviceFd, const QString &name, const ServiceMeta &meta, uid_t uid, gid_t gid)
{
    const QByteArray stage = stageName("log", name);
    if (::mkdirat(serviceFd, stage.constData(), 0755) != 0)
        return false;
    const Fd dir(::openat(serviceFd, stage.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    bool ok = dir.valid() && writeNewFile(dir.get(), "run", renderLogRun(meta), 0755)
        && ::mkdirat(dir.get(), "main", 0755) == 0 && ::fchownat(dir.get(), "main", uid, gid, AT_SYMLINK_NOFOLLOW) == 0
        && ::renameat(serviceFd, stage.constData(), serviceFd, paths::log) == 0;
    if (!ok)
        removeTree(serviceFd, stage.constData());
    return ok;
}

// Makes svscan scan now instead of at its next 5-second rescan, so that a supervise
// that left comes back at once: a mode change of a service directory is an inotify
// event in the scan directory, and the same mode changes nothing else.
void pokeScanner(int serviceFd)
{
    struct stat st {};
    if (::fstat(serviceFd, &st) == 0)
        (void)::fchmod(serviceFd, st.st_mode & 07777);
}

// A condition for waitUntil that holds once a supervise runs in dir again, poking
// svscan every quarter of a second until then.
std::function<bool()> comesBack(std::shared_ptr<Fd> dir)
{
    auto clock = std::make_shared<QElapsedTimer>();
    return [dir, clock] {
        if (superviseRunning(dir->get()))
            return true;
        if (!clock->isValid() || clock->elapsed() >= 250) {
            pokeScanner(dir->get());
            clock->start();
        }
        return false;
    };
}

// Puts the marked down file into dirFd whole or not at all, and never over a down
// file already there. Written in place, a helper killed between creating and
// filling it would leave an empty down file: the user's kind, which no later
// helper removes, and the service would stay down for good.
bool placeMarkedDown(int dirFd)
{
    ::unlinkat(dirFd, markedDownStage, 0);
    const bool placed = writeNewFile(dirFd, markedDownStage, QByteArray(markedDown), 0644)
        && (::renameat2(dirFd, markedDownStage, dirFd, paths::down, RENAME_NOREPLACE) == 0 || errno == EEXIST);
    ::unlinkat(dirFd, markedDownStage, 0);
    return placed;
}

bool isMarkedDown(int dirFd)
{
    const auto content = readSmallFile(dirFd, paths::down, 256);
    return content && *content == markedDown;
}

// What a logging change about to start must give back at its end. One that starts
// right after an earlier change ended gives back the want from before that change:
// the status cannot tell it yet, as the supervise may not have read the want that
// settleChange sent it, and would still say down.
LoggingChange observeChange(int dirFd, bool on, const std::optional<LoggingChange> &after)
{
    LoggingChange c;
    c.on = on;
    c.supervised = superviseRunning(dirFd);
    if (after) {
        c.want = after->want;
        c.running = after->running;
    } else if (const auto st = statusOf(dirFd)) {
        c.want = st->want == Want::Up ? 'u' : st->want == Want::Down ? 'd' : 'o';
        c.running = st->pid != 0;
    } else {
        struct stat down {};
        c.want = ::fstatat(dirFd, paths::down, &down, AT_SYMLINK_NOFOLLOW) == 0 ? 'd' : 'u';
    }
    c.helper = ::getpid();
    c.helperStart = processStartTime(c.helper);
    return c;
}

// Writes the record whole (staged and renamed) or not at all.
bool writeChange(int dirFd, const LoggingChange &c)
{
    ::unlinkat(dirFd, loggingChangeStage, 0);
    return writeNewFile(dirFd, loggingChangeStage, c.encode(), 0644)
        && ::renameat(dirFd, loggingChangeStage, dirFd, loggingChangeFile) == 0;
}

// The record of a change under way in dirFd: only a root-owned one is believed.
std::optional<LoggingChange> readChange(int dirFd, bool *present = nullptr)
{
    struct stat st {};
    const bool there = ::fstatat(dirFd, loggingChangeFile, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid == 0;
    if (present)
        *present = there;
    const auto text = there ? readSmallFile(dirFd, loggingChangeFile, 4096) : std::nullopt;
    return text ? LoggingChange::decode(*text) : std::nullopt;
}

// Another helper (one that gave up the bus name to --replace) may still be at it.
bool ofAnotherLiveHelper(const LoggingChange &c)
{
    return c.helper != ::getpid() && c.helperStart != 0 && processStartTime(c.helper) == c.helperStart;
}

// The answer while the record of an earlier logging change is there.
Refusal changeNotEnded(const QString &name)
{
    return {errors::busy, QStringLiteral("an earlier logging change of %1 has not ended").arg(name)};
}

// Gives a supervise that started down (as a fresh one does while the marked down file
// is there) the want of before the change: up, or once when ./run was running under
// svc -o. (A once whose run had ended stays down: svc -o would run it again.) A
// supervise that wants anything but down has had it given back already.
void restoreWant(int dirFd, const LoggingChange &c)
{
    const auto now = statusOf(dirFd);
    if (!now || now->want != Want::Down || !superviseRunning(dirFd))
        return;
    if (c.want == 'u')
        sendCommands(dirFd, "u");
    else if (c.want == 'o' && c.running)
        sendCommands(dirFd, "o");
}

// The end of every change, done or failed: the marked down file goes, the want comes
// back, and the record goes last, so that a helper killed before it does this again.
void settleChange(int dirFd, const LoggingChange &c)
{
    if (isMarkedDown(dirFd))
        ::unlinkat(dirFd, paths::down, 0);
    restoreWant(dirFd, c);
    ::unlinkat(dirFd, loggingChangeFile, 0);
}

// Whether the helper that made a dot-name "….-PID-N" is gone (false while it lives,
// or when the name carries no pid).
bool madeByGoneProcess(const QByteArray &name)
{
    const QList<QByteArray> parts = name.split('-');
    const auto pid = static_cast<pid_t>(parts.size() >= 4 ? parts[parts.size() - 2].toInt() : 0);
    return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

// Entries of dirFd whose names start with prefix.
std::vector<QByteArray> entriesStartingWith(int dirFd, const char *prefix)
{
    std::vector<QByteArray> out;
    const std::size_t length = std::strlen(prefix);
    forEachEntry(dirFd, [&](const dirent &e) {
        if (std::strncmp(e.d_name, prefix, length) == 0)
            out.emplace_back(e.d_name);
        return true;
    });
    return out;
}

} // namespace

Helper::Helper(HelperConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_tree(m_config.scanDir), m_openLogBound(m_config.maxOpenLogPerSecond),
      m_logGrants(m_config.logGrantSeconds)
{
}

QString Helper::version() const { return QStringLiteral(TAZUNA_VERSION); }

QString Helper::start()
{
    if (QString problem = m_tree.open(); !problem.isEmpty())
        return problem;
    for (const QString &p : loadTemplates(m_config.templatesDir, m_templates))
        qWarning("tazuna-helper: template %s", qPrintable(p));
    m_auth = new Authorizer(QDBusConnection::systemBus(), m_config.maxPendingAuthorizations, this);
    m_watcher = new TreeWatcher(m_tree.path(), this);
    if (!m_watcher->open())
        return QStringLiteral("cannot watch %1 with inotify").arg(m_tree.path());
    connect(m_watcher, &TreeWatcher::scanDirChanged, this, &Helper::resync);
    connect(m_watcher, &TreeWatcher::serviceTouched, this, &Helper::refreshService);
    connect(m_watcher, &TreeWatcher::exitsChanged, this, &Helper::checkExits);
    // A create that a crash interrupted left a half-made directory that nothing
    // ever ran: it goes. (svscan never looks at dot-names.)
    for (const QByteArray &stale : entriesStartingWith(m_tree.dirFd(), ".tazuna-new-"))
        if (madeByGoneProcess(stale))
            removeTree(m_tree.dirFd(), stale.constData());
    // Learn the tree as it is, quietly: a restarted helper announces nothing old.
    for (const QString &name : m_tree.names()) {
        m_watcher->watchService(name);
        const auto fd = m_tree.openService(name);
        if (!fd.ok())
            continue;
        ServiceTimes times;
        m_known.insert(name, m_tree.info(name, fd.value().get(), &times));
        rememberTimes(name, times);
        const auto exits = readExitLog(fd.value().get());
        m_exitTotals.insert(name, exits.ok() ? exits->total : 0);
    }
    m_launcher = new ScanLauncher(m_tree.path(), m_config.toolsDir, m_config.svscanLog, this);
    if (QString problem = m_launcher->ensureRunning(); !problem.isEmpty())
        return problem;
    recover();
    return {};
}

void Helper::recover()
{
    const int scan = m_tree.dirFd();
    auto pending = std::make_shared<int>(0);
    QEventLoop loop;
    QSet<QByteArray> claimed;
    for (const QString &name : m_tree.names()) {
        auto fd = m_tree.openService(name);
        if (!fd.ok())
            continue;
        const int dir = fd.value().get();
        ::unlinkat(dir, loggingChangeStage, 0);
        ::unlinkat(dir, markedDownStage, 0);
        for (const QByteArray &stale : entriesStartingWith(dir, ".tazuna-log-"))
            if (madeByGoneProcess(stale))
                removeTree(dir, stale.constData());
        bool present = false;
        const auto change = readChange(dir, &present);
        if (!change) {
            if (present) {
                qWarning("tazuna-helper: %s: an unreadable logging change record; removed", qPrintable(name));
                ::unlinkat(dir, loggingChangeFile, 0);
            }
            continue;
        }
        if (ofAnotherLiveHelper(*change)) {
            claimed.insert(change->stage);
            continue;
        }
        qWarning("tazuna-helper: %s: finishing the logging change (%s) a stopped helper left", qPrintable(name),
                 change->on ? "on" : "off");
        if (!change->on)
            claimed.insert(change->stage);
        ++*pending;
        m_busy.insert(name);
        auto service = std::make_shared<Fd>(std::move(fd.value()));
        Finished done = [this, name, pending, &loop](Check bad) {
            m_busy.remove(name);
            refreshService(name);
            if (bad)
                qWarning("tazuna-helper: %s: %s", qPrintable(name), qPrintable(bad->message));
            if (--*pending == 0)
                loop.quit();
        };
        if (change->on)
            finishLoggingOn(name, service, *change, done);
        else
            finishLoggingOff(service, *change, done);
    }
    // A removal that a stopped helper did not see to its end: the service is out of
    // the scan directory (NAME.TIME.PID in .tazuna-removed), but its supervise, its
    // ./run or its logger may still be running there. Its logs stay: whether the
    // caller wanted them deleted died with the call.
    const Fd removed(::openat(scan, ".tazuna-removed", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    for (const QByteArray &kept : removed.valid() ? entriesStartingWith(removed.get(), "") : std::vector<QByteArray>{}) {
        const auto by = static_cast<pid_t>(kept.mid(kept.lastIndexOf('.') + 1).toInt());
        if (kept.startsWith('.') || by <= 0 || ::kill(by, 0) == 0 || errno != ESRCH)
            continue;
        auto service = std::make_shared<Fd>(::openat(removed.get(), kept.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        const Fd log(service->valid() ? ::openat(service->get(), paths::log, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1);
        if (!service->valid() || (!anyProcessIn(service->get()) && !(log.valid() && anyProcessIn(log.get()))))
            continue;
        qWarning("tazuna-helper: .tazuna-removed/%s: stopping what a stopped helper was removing", kept.constData());
        ++*pending;
        stopForGood(service, [pending, &loop, kept](bool stopped) {
            if (!stopped)
                qWarning("tazuna-helper: .tazuna-removed/%s did not stop", kept.constData());
            if (--*pending == 0)
                loop.quit();
        });
    }
    // A stage that no record names was being built when the helper died: the
    // service itself was never touched, and nothing ever ran in the stage.
    for (const QByteArray &stage : entriesStartingWith(scan, ".tazuna-relog-")) {
        if (claimed.contains(stage) || !madeByGoneProcess(stage))
            continue;
        const Fd dir(::openat(scan, stage.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (dir.valid() && anyProcessIn(dir.get()))
            qWarning("tazuna-helper: %s runs processes but no logging change names it; left as it is", stage.constData());
        else
            removeTree(scan, stage.constData());
    }
    ::unlinkat(scan, ".tazuna-svscan.pid.new", 0);
    if (*pending > 0)
        loop.exec();
}

void Helper::refuse(const Refusal &r)
{
    sendErrorReply(QLatin1String(r.name), r.message);
}

void Helper::replyError(const QDBusMessage &m, const Refusal &r)
{
    QDBusConnection::systemBus().send(m.createErrorReply(QLatin1String(r.name), r.message));
}

void Helper::replyOk(const QDBusMessage &m)
{
    QDBusConnection::systemBus().send(m.createReply());
}

bool Helper::checkService(const QString &name, bool changes)
{
    if (auto bad = checkServiceName(name)) {
        refuse(*bad);
        return false;
    }
    if (const auto fd = m_tree.openService(name); !fd.ok()) {
        refuse(fd.refusal());
        return false;
    }
    if (changes && m_busy.contains(name)) {
        refuse({errors::busy, QStringLiteral("%1 is being changed already").arg(name)});
        return false;
    }
    return true;
}

bool Helper::ownedBy(const QString &name, uint uid) const
{
    if (uid == 0)
        return false;
    const auto fd = m_tree.openService(name);
    if (!fd.ok())
        return false;
    const auto meta = ServiceTree::readMeta(fd.value().get());
    return meta && meta->owner == uid && meta->user == userName(uid);
}

void Helper::authorizeFor(const QString &name, const char *action, const char *ownAction,
                          std::function<void(const QDBusMessage &, uint callerUid)> work)
{
    setDelayedReply(true);
    const QDBusMessage msg = message();
    m_auth->authorize(
        msg,
        [this, name, action, ownAction](uint uid) {
            return QLatin1String(ownedBy(name, uid) ? ownAction : action);
        },
        [msg, work = std::move(work)](uint uid) { work(msg, uid); });
}

ServiceInfoList Helper::ListServices()
{
    // Answered from the rows the watcher keeps fresh (reading the tree costs some 20
    // system calls per service); what inotify has queued is handled first, so every
    // change made before this call is in the answer.
    m_watcher->readPending();
    QStringList names = m_known.keys();
    names.sort();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ServiceInfoList out;
    out.reserve(names.size());
    for (const QString &name : std::as_const(names)) {
        ServiceInfo info = m_known.value(name);
        m_times.value(name).apply(info, now);
        out.push_back(info);
    }
    return out;
}

ServiceDetails Helper::GetService(const QString &name)
{
    auto d = m_tree.details(name);
    if (!d.ok()) {
        refuse(d.refusal());
        return {};
    }
    return d.value();
}

TemplateInfoList Helper::ListTemplates()
{
    TemplateInfoList out;
    for (const Template &t : m_templates) {
        TemplateInfo info{t.id, t.title, t.description, {}};
        for (const ParameterSpec &p : t.parameters) {
            TemplateParameter param = p.info;
            if (param.type == QLatin1String("uint")) {
                param.minimum = p.min;
                param.maximum = p.max;
            }
            info.parameters.push_back(param);
        }
        out.push_back(info);
    }
    return out;
}

void Helper::Control(const QString &name, const QString &command)
{
    static const QHash<QString, char> letters = {
        {QStringLiteral("start"), 'u'},    {QStringLiteral("stop"), 'd'},     {QStringLiteral("restart"), 't'},
        {QStringLiteral("once"), 'o'},     {QStringLiteral("pause"), 'p'},    {QStringLiteral("continue"), 'c'},
        {QStringLiteral("hup"), 'h'},      {QStringLiteral("alarm"), 'a'},    {QStringLiteral("interrupt"), 'i'},
        {QStringLiteral("kill"), 'k'},     {QStringLiteral("reset-backoff"), 'B'},
    };
    const auto letter = letters.constFind(command);
    if (letter == letters.cend()) {
        if (auto bad = checkServiceName(name))
            return refuse(*bad);
        return refuse({errors::invalidParameter, QStringLiteral("command: unknown command %1").arg(command.left(32))});
    }
    if (!checkService(name, true))
        return;
    const std::string send(1, *letter);
    authorizeFor(name, actions::control, actions::controlOwn, [this, name, send](const QDBusMessage &m, uint) {
        if (auto r = m_tree.control(name, send))
            replyError(m, *r);
        else
            replyOk(m);
    });
}

const Template *Helper::checkCreate(const QString &templateId, const QString &name, const ParameterMap &parameters)
{
    if (auto bad = checkNewServiceName(name)) {
        refuse(*bad);
        return nullptr;
    }
    const Template *tpl = nullptr;
    for (const Template &t : m_templates)
        if (t.id == templateId)
            tpl = &t;
    if (!tpl) {
        refuse({errors::unknownTemplate, QStringLiteral("there is no template %1").arg(templateId.left(64))});
        return nullptr;
    }
    if (parameters.size() > maxParameters) {
        refuse({errors::invalidParameter, QStringLiteral("parameters: at most %1 parameters").arg(maxParameters)});
        return nullptr;
    }
    struct stat st {};
    const QByteArray n = QFile::encodeName(name);
    if (::fstatat(m_tree.dirFd(), n.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        refuse({errors::alreadyExists, QStringLiteral("name: a service called %1 exists already").arg(name)});
        return nullptr;
    }
    return tpl;
}

Check Helper::checkOwnerBound(uint uid) const
{
    if (uid == 0 || m_config.maxServicesPerUser == 0)
        return std::nullopt;
    uint owned = 0;
    for (const QString &name : m_tree.names()) {
        const auto fd = m_tree.openService(name);
        const auto meta = fd.ok() ? ServiceTree::readMeta(fd.value().get()) : std::nullopt;
        if (meta && meta->owner == uid)
            ++owned;
    }
    if (owned >= m_config.maxServicesPerUser)
        return Refusal{errors::limitExceeded,
                       QStringLiteral("name: you have %1 services already, the most this system allows per user").arg(owned)};
    return std::nullopt;
}

Outcome<Rendered> Helper::renderFor(const Template &t, const ParameterMap &parameters, uint uid) const
{
    auto r = render(t, parameters, uid);
    if (!r.ok())
        return r;
    if (auto over = checkOwnerBound(uid))
        return *over;
    return r;
}

void Helper::authorizeRendered(const QString &templateId, const QString &name, const ParameterMap &parameters,
                               std::function<const char *(const Rendered &, uint)> action,
                               std::function<void(const QDBusMessage &, const Rendered &, uint)> allowed)
{
    const Template *tpl = checkCreate(templateId, name, parameters);
    if (!tpl)
        return;
    setDelayedReply(true);
    const QDBusMessage msg = message();
    auto rendered = std::make_shared<std::optional<Rendered>>();
    const Template t = *tpl;
    m_auth->authorize(
        msg,
        [this, msg, t, parameters, rendered, action](uint uid) -> QString {
            auto r = renderFor(t, parameters, uid);
            if (!r.ok()) {
                replyError(msg, r.refusal());
                return {};
            }
            *rendered = r.value();
            return QLatin1String(action(**rendered, uid));
        },
        [msg, rendered, allowed](uint uid) { allowed(msg, **rendered, uid); });
}

QString Helper::Render(const QString &templateId, const QString &name, const ParameterMap &parameters, QString &logRun)
{
    // Nothing is written, so the create-own action is enough whoever the service
    // would run as; Create asks again for what it really makes.
    authorizeRendered(
        templateId, name, parameters, [](const Rendered &, uint) { return actions::createOwn; },
        [](const QDBusMessage &msg, const Rendered &r, uint) {
            QDBusMessage reply = msg.createReply();
            reply << QString::fromUtf8(r.run) << QString::fromUtf8(r.logRun);
            QDBusConnection::systemBus().send(reply);
        });
    logRun.clear();
    return {};
}

void Helper::Create(const QString &templateId, const QString &name, const ParameterMap &parameters)
{
    authorizeRendered(
        templateId, name, parameters,
        [](const Rendered &r, uint uid) { return uid != 0 && r.uid == uid ? actions::createOwn : actions::create; },
        [this, name](const QDBusMessage &msg, const Rendered &r, uint uid) {
            // Again: other creates of this user may have finished while polkit was asked.
            if (auto over = checkOwnerBound(uid))
                return replyError(msg, *over);
            const int scan = m_tree.dirFd();
            const QByteArray stage = stageName("new", name);
            if (::mkdirat(scan, stage.constData(), 0755) != 0)
                return replyError(msg, {errors::failed, QStringLiteral("cannot make a staging directory")});
            const Fd dir(::openat(scan, stage.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            bool ok = dir.valid() && writeNewFile(dir.get(), paths::run, r.run, 0755)
                && writeNewFile(dir.get(), metaFile, r.meta.encode(), 0644)
                && (r.startNow || writeNewFile(dir.get(), paths::down, {}, 0644))
                && (r.backoff.isEmpty() || writeNewFile(dir.get(), paths::backoff, r.backoff, 0644))
                && (!r.logging || makeLogDir(dir.get(), name, r.meta, r.uid, r.gid))
                && ::fchmod(dir.get(), r.logging ? 01755 : 0755) == 0;
            if (!ok) {
                removeTree(scan, stage.constData());
                return replyError(msg, {errors::failed, QStringLiteral("cannot write the service directory")});
            }
            const QByteArray target = QFile::encodeName(name);
            if (::renameat2(scan, stage.constData(), scan, target.constData(), RENAME_NOREPLACE) != 0) {
                const int err = errno;
                removeTree(scan, stage.constData());
                if (err == EEXIST)
                    return replyError(msg, {errors::alreadyExists, QStringLiteral("name: a service called %1 exists already").arg(name)});
                return replyError(msg, {errors::failed, QStringLiteral("cannot move the service into place")});
            }
            replyOk(msg);
        });
}

void Helper::Remove(const QString &name, bool deleteLogs)
{
    if (!checkService(name, true))
        return;
    authorizeFor(name, actions::remove, actions::removeOwn,
                 [this, name, deleteLogs](const QDBusMessage &m, uint) { removeService(m, name, deleteLogs); });
}

void Helper::SetLogging(const QString &name, bool enabled)
{
    if (!checkService(name, true))
        return;
    // Under 0.76's rule a log/ directory alone makes svscan start a logger, and
    // moving log/ away would hide the logs: refuse rather than half do it.
    if (!enabled && m_launcher->logRule076())
        return refuse({errors::notSupported, QStringLiteral("svscan runs with SVSCAN_LOGRULE=0.76, under which every service "
                                                            "with a log directory has a logger: logging cannot be turned off")});
    authorizeFor(name, actions::setLogging, actions::setLoggingOwn, [this, name, enabled](const QDBusMessage &m, uint) {
        if (takeUpChange(m, name, enabled))
            return;
        if (enabled)
            loggingOn(m, name);
        else
            loggingOff(m, name);
    });
}

LogFileInfoList Helper::ListLogs(const QString &name)
{
    if (!checkService(name, false))
        return {};
    authorizeFor(name, actions::readLogs, actions::readLogsOwn, [this, name](const QDBusMessage &msg, uint uid) {
        // The directory first: a grant must name the one whose files were listed.
        const auto dir = serviceDirectory(name);
        auto files = m_tree.listLogs(name);
        if (!files.ok())
            return replyError(msg, files.refusal());
        if (dir) {
            QSet<QString> names;
            for (const LogFileInfo &f : files.value())
                names.insert(f.name);
            m_logGrants.grant(msg.service(), name, *dir, uid, std::move(names));
        }
        QDBusConnection::systemBus().send(msg.createReply(QVariant::fromValue(files.value())));
    });
    return {};
}

QDBusUnixFileDescriptor Helper::OpenLog(const QString &name, const QString &file)
{
    if (!m_openLogBound.take(message().service())) {
        refuse({errors::limitExceeded, QStringLiteral("too many log files opened in the last second; try again later")});
        return {};
    }
    if (!checkService(name, false))
        return {};
    if (const auto dir = serviceDirectory(name)) {
        if (const auto uid = m_logGrants.find(message().service(), name, *dir, file)) {
            setDelayedReply(true);
            sendLog(message(), name, file, *uid);
            return {};
        }
    }
    authorizeFor(name, actions::readLogs, actions::readLogsOwn,
                 [this, name, file](const QDBusMessage &msg, uint uid) { sendLog(msg, name, file, uid); });
    return {};
}

std::optional<DirectoryId> Helper::serviceDirectory(const QString &name) const
{
    const auto fd = m_tree.openService(name);
    struct statx st {};
    if (!fd.ok() || ::statx(fd.value().get(), "", AT_EMPTY_PATH, STATX_INO | STATX_BTIME, &st) != 0)
        return std::nullopt;
    const bool born = st.stx_mask & STATX_BTIME;
    return DirectoryId{makedev(st.stx_dev_major, st.stx_dev_minor), st.stx_ino, born ? st.stx_btime.tv_sec : 0,
                       born ? st.stx_btime.tv_nsec : 0};
}

void Helper::sendLog(const QDBusMessage &message, const QString &name, const QString &file, uint uid)
{
    // Per user too: more connections of one user get no more descriptors.
    if (uid != 0 && !m_openLogBound.take(QStringLiteral("uid %1").arg(uid)))
        return replyError(message, {errors::limitExceeded, QStringLiteral("too many log files opened in the last second; try again later")});
    auto fd = m_tree.openLog(name, file);
    if (!fd.ok())
        return replyError(message, fd.refusal());
    const QDBusUnixFileDescriptor passed(fd.value()); // duplicates it
    ::close(fd.value());
    QDBusConnection::systemBus().send(message.createReply(QVariant::fromValue(passed)));
}

void Helper::resync()
{
    const std::vector<QString> now = m_tree.names();
    const QSet<QString> present(now.begin(), now.end());
    for (auto it = m_known.begin(); it != m_known.end();) {
        if (!present.contains(it.key())) {
            const QString gone = it.key();
            m_watcher->forgetService(gone);
            m_exitTotals.remove(gone);
            m_times.remove(gone);
            it = m_known.erase(it);
            Q_EMIT ServiceRemoved(gone);
        } else {
            ++it;
        }
    }
    for (const QString &name : now) {
        // Again for a known name too: it may be a new directory under the old name
        // (the logging toggle swaps one in), which the old watches do not see.
        m_watcher->watchService(name);
        if (m_known.contains(name)) {
            refreshService(name);
            continue;
        }
        const auto fd = m_tree.openService(name);
        if (!fd.ok())
            continue;
        ServiceTimes times;
        const ServiceInfo info = m_tree.info(name, fd.value().get(), &times);
        rememberTimes(name, times);
        const auto exits = readExitLog(fd.value().get());
        m_exitTotals.insert(name, exits.ok() ? exits->total : 0);
        m_known.insert(name, info);
        Q_EMIT ServiceAdded(info);
    }
}

void Helper::refreshService(const QString &name)
{
    const auto known = m_known.find(name);
    if (known == m_known.end())
        return resync();
    const auto fd = m_tree.openService(name);
    if (!fd.ok())
        return resync();
    ServiceTimes times;
    const ServiceInfo info = m_tree.info(name, fd.value().get(), &times);
    rememberTimes(name, times);
    // A supervise that is starting writes status before it opens its fifos, and
    // opening them changes no file: while a fresh status says nobody runs it yet,
    // look again shortly. This ends within a second of the last status change.
    struct stat st {};
    if (info.state.isEmpty() && ::fstatat(fd.value().get(), paths::status, &st, 0) == 0) {
        const qint64 age = QDateTime::currentMSecsSinceEpoch() - (qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000);
        if (age >= 0 && age < 1000)
            QTimer::singleShot(50, this, [this, name] { refreshService(name); });
    }
    if (sameApartFromTime(*known, info))
        return;
    *known = info;
    Q_EMIT ServiceChanged(info);
}

void Helper::rememberTimes(const QString &name, const ServiceTimes &times)
{
    m_times.insert(name, times);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 next = -1;
    for (const qint64 end : times.crashEndsMs)
        if (end + crashWindowMs > now && (next < 0 || end + crashWindowMs < next))
            next = end + crashWindowMs;
    if (next < 0)
        return;
    // One timer per service is enough: the one due first refreshes and sets the next.
    const qint64 pending = m_crashAgingAt.value(name, -1);
    if (pending > now && pending <= next)
        return;
    m_crashAgingAt.insert(name, next);
    QTimer::singleShot(std::chrono::milliseconds(next - now + 20), this, [this, name, next] {
        if (m_crashAgingAt.value(name) == next)
            m_crashAgingAt.remove(name);
        if (m_known.contains(name))
            refreshService(name);
    });
}

void Helper::checkExits(const QString &name)
{
    const auto fd = m_tree.openService(name);
    if (!fd.ok())
        return;
    const auto log = readExitLog(fd.value().get());
    if (!log.ok())
        return;
    const quint64 seen = m_exitTotals.value(name, 0);
    m_exitTotals.insert(name, log->total);
    if (log->total <= seen)
        return;
    const std::size_t fresh = std::min<std::size_t>(log->records.size(), static_cast<std::size_t>(log->total - seen));
    const qint64 minuteAgo = unixMs(Tai64n::now()) - crashWindowMs;
    uint lastMinute = 0;
    for (const ExitRecord &r : log->records)
        if (r.crashed() && unixMs(r.ended) >= minuteAgo)
            ++lastMinute;
    for (std::size_t i = log->records.size() - fresh; i < log->records.size(); ++i) {
        const ExitRecord &r = log->records[i];
        if (r.crashed())
            Q_EMIT ServiceCrashed(name, exitInfo(r), lastMinute);
    }
}

void Helper::removeService(const QDBusMessage &message, const QString &name, bool deleteLogs)
{
    auto opened = m_tree.openService(name);
    if (!opened.ok())
        return replyError(message, opened.refusal());
    if (m_busy.contains(name))
        return replyError(message, {errors::busy, QStringLiteral("%1 is being changed already").arg(name)});
    const int scan = m_tree.dirFd();
    // Out of the scan directory first, atomically: svscan then never restarts what
    // we stop, and no client sees a half-removed service.
    if (::mkdirat(scan, ".tazuna-removed", 0700) != 0 && errno != EEXIST)
        return replyError(message, {errors::failed, QStringLiteral("cannot make %1/.tazuna-removed").arg(m_tree.path())});
    const Fd removed(::openat(scan, ".tazuna-removed", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    const QByteArray kept = QFile::encodeName(name) + '.' + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + '.'
        + QByteArray::number(::getpid());
    const QByteArray from = QFile::encodeName(name);
    if (!removed.valid() || ::renameat(scan, from.constData(), removed.get(), kept.constData()) != 0)
        return replyError(message, {errors::failed, QStringLiteral("cannot move %1 out of the scan directory").arg(name)});
    m_busy.insert(name);
    resync();

    auto service = std::make_shared<Fd>(std::move(opened.value()));
    auto removedDir = std::make_shared<Fd>(::dup(removed.get()));
    stopForGood(service, [this, message, name, deleteLogs, removedDir, kept](bool ok) {
        m_busy.remove(name);
        if (!ok)
            return replyError(message, {errors::failed, QStringLiteral("%1 did not stop; it was moved to .tazuna-removed").arg(name)});
        if (deleteLogs)
            removeTree(removedDir->get(), kept.constData());
        replyOk(message);
    });
}

// A service out of the scan directory: its supervise and ./run go, then, once the
// logger has read what the service wrote last, the logger's.
void Helper::stopForGood(std::shared_ptr<Fd> service, std::function<void(bool)> done)
{
    auto log = std::make_shared<Fd>(::openat(service->get(), paths::log, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    // Repeated while waiting: a supervise that svscan starts just now has not read
    // the first one.
    waitUntil(this, stopAndLeave(service), killAfterMs + leaveTimeoutMs, [this, log, done](bool stopped) {
        if (!stopped || !log->valid() || !superviseRunning(log->get()))
            return done(stopped);
        waitUntil(this, [log] { return unreadLogBytes(log->get()) == 0; }, 5000, [this, log, done](bool) {
            waitUntil(this, stopAndLeave(log), killAfterMs + leaveTimeoutMs, done);
        });
    });
}

Helper::Finished Helper::answer(const QDBusMessage &message, const QString &name)
{
    return [this, message, name](Check bad) {
        m_busy.remove(name);
        refreshService(name);
        if (bad)
            return replyError(message, *bad);
        replyOk(message);
    };
}

bool Helper::takeUpChange(const QDBusMessage &message, const QString &name, bool enabled)
{
    auto opened = m_tree.openService(name);
    if (!opened.ok())
        return false; // loggingOn and loggingOff say what is wrong
    bool present = false;
    const auto change = readChange(opened.value().get(), &present);
    if (!present)
        return false;
    if (!change || m_busy.contains(name) || ofAnotherLiveHelper(*change)) {
        replyError(message, changeNotEnded(name));
        return true;
    }
    qWarning("tazuna-helper: %s: finishing the earlier logging change (%s) first", qPrintable(name), change->on ? "on" : "off");
    m_busy.insert(name);
    auto service = std::make_shared<Fd>(std::move(opened.value()));
    Finished then = [this, message, name, enabled, earlier = *change](Check bad) {
        m_busy.remove(name);
        refreshService(name);
        if (bad)
            return replyError(message, {errors::failed, QStringLiteral("an earlier logging change of %1 could not be finished: %2")
                                                            .arg(name, bad->message)});
        if (enabled)
            loggingOn(message, name, earlier);
        else
            loggingOff(message, name, earlier);
    };
    if (change->on)
        finishLoggingOn(name, service, *change, then);
    else
        finishLoggingOff(service, *change, then);
    return true;
}

void Helper::loggingOn(const QDBusMessage &message, const QString &name, const std::optional<LoggingChange> &after)
{
    auto opened = m_tree.openService(name);
    if (!opened.ok())
        return replyError(message, opened.refusal());
    auto service = std::make_shared<Fd>(std::move(opened.value()));
    const int dir = service->get();
    if (m_tree.info(name, dir).logging)
        return replyOk(message);
    bool unfinished = false;
    readChange(dir, &unfinished);
    if (unfinished)
        return replyError(message, changeNotEnded(name));
    const ServiceMeta meta = ServiceTree::readMeta(dir).value_or(ServiceMeta{});
    if (!meta.user.isEmpty() && !::getpwnam(meta.user.toUtf8().constData()))
        return replyError(message, {errors::noSuchUser, QStringLiteral("there is no user %1").arg(meta.user)});
    const LoggingChange change = observeChange(dir, true, after);
    if (!writeChange(dir, change))
        return replyError(message, {errors::failed, QStringLiteral("cannot write %1/%2").arg(name, QLatin1String(loggingChangeFile))});
    m_busy.insert(name);
    finishLoggingOn(name, service, change, answer(message, name));
}

void Helper::finishLoggingOn(const QString &name, std::shared_ptr<Fd> service, const LoggingChange &change, Finished done)
{
    const int dir = service->get();
    auto fail = [service, change, done](const QString &message) {
        settleChange(service->get(), change);
        done(Refusal{errors::failed, message});
    };
    struct stat st {};
    if (::fstatat(dir, paths::log, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        const ServiceMeta meta = ServiceTree::readMeta(dir).value_or(ServiceMeta{});
        uid_t uid = 0;
        gid_t gid = 0;
        if (!meta.user.isEmpty()) {
            const passwd *pw = ::getpwnam(meta.user.toUtf8().constData());
            if (!pw)
                return fail(QStringLiteral("there is no user %1").arg(meta.user));
            uid = pw->pw_uid;
            gid = pw->pw_gid;
        }
        if (!makeLogDir(dir, name, meta, uid, gid))
            return fail(QStringLiteral("cannot make %1/log").arg(name));
    }
    if (::fstat(dir, &st) != 0 || (!(st.st_mode & S_ISVTX) && ::fchmod(dir, (st.st_mode & 07777) | S_ISVTX) != 0))
        return fail(QStringLiteral("cannot set the sticky bit of %1").arg(name));
    auto log = std::make_shared<Fd>(::openat(dir, paths::log, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    // svscan starts the logger and its pipe once it sees the sticky bit; the service
    // joins the pipe when its supervise next starts, so that supervise restarts.
    waitUntil(this, [log] { return log->valid() && superviseRunning(log->get()); }, 15000,
              [this, name, service, log, change, done, fail](bool loggerUp) {
        if (!loggerUp)
            return fail(QStringLiteral("svscan did not connect the logger of %1").arg(name));
        if (!change.supervised && !superviseRunning(service->get())) {
            settleChange(service->get(), change);
            return done(std::nullopt);
        }
        // A supervise that a killed helper had just stopped is on its way back.
        waitUntil(this, comesBack(service), 15000, [this, name, service, log, change, done, fail](bool there) {
            if (!there)
                return fail(QStringLiteral("%1 did not restart cleanly").arg(name));
            if (joinedToLogger(service->get(), log->get())) {
                settleChange(service->get(), change);
                return done(std::nullopt);
            }
            // The new supervise starts down (the marked down file), then gets exactly
            // the old want back: a service that was down never runs in between, and
            // one run with svc -o is not restarted for good.
            if (!placeMarkedDown(service->get()))
                return fail(QStringLiteral("cannot write %1/down").arg(name));
            // Down and out whatever the status says: an up still unread in the fifo
            // (one a change just before gave back) would start ./run, and x alone
            // would then wait on it for good. The record holds the want to give back.
            auto clock = std::make_shared<QElapsedTimer>();
            clock->start();
            sendCommands(service->get(), "dx");
            waitUntil(this, [service, clock] {
                          if (clock->elapsed() >= killAfterMs)
                              sendCommands(service->get(), "k");
                          return !superviseRunning(service->get());
                      }, killAfterMs + leaveTimeoutMs,
                      [this, name, service, change, done, fail](bool gone) {
                          if (!gone)
                              return fail(QStringLiteral("%1 did not stop").arg(name));
                          waitUntil(this, comesBack(service), 15000, [name, service, change, done, fail](bool back) {
                              if (!back)
                                  return fail(QStringLiteral("%1 did not restart cleanly").arg(name));
                              settleChange(service->get(), change);
                              done(std::nullopt);
                          });
                      });
        });
    });
}

void Helper::loggingOff(const QDBusMessage &message, const QString &name, const std::optional<LoggingChange> &after)
{
    auto opened = m_tree.openService(name);
    if (!opened.ok())
        return replyError(message, opened.refusal());
    const int scan = m_tree.dirFd();
    const int old = opened.value().get();
    if (!m_tree.info(name, old).logging)
        return replyOk(message);
    bool unfinished = false;
    readChange(old, &unfinished);
    if (unfinished)
        return replyError(message, changeNotEnded(name));
    // svscan decides on a logger pipe when it first meets a directory (0.76 does the
    // same), so the service moves to a fresh directory without the sticky bit: same
    // files, new inode. It is built with a down file so that the old and the new
    // ./run never run together, and with the record of the change naming the stage
    // the old directory goes to; swapped in atomically with RENAME_EXCHANGE, and
    // started once the old one has stopped and the logger has read its last lines.
    LoggingChange change = observeChange(old, false, after);
    change.stage = stageName("relog", name);
    const char *stage = change.stage.constData();
    if (::mkdirat(scan, stage, 0755) != 0)
        return replyError(message, {errors::failed, QStringLiteral("cannot make a staging directory")});
    const Fd fresh(::openat(scan, stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    bool ok = fresh.valid();
    for (const char *file : {paths::run, metaFile, paths::backoff}) {
        if (!ok || ::fstatat(old, file, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        const auto content = readSmallFile(old, file, 1 << 20);
        ok = content && writeNewFile(fresh.get(), file, *content, st.st_mode & 07777);
    }
    // The exit history goes along, so crash counts survive the move.
    if (ok && ::mkdirat(fresh.get(), paths::superviseDir, 0700) == 0) {
        if (const auto exits = readSmallFile(old, paths::exits, 1 << 20))
            writeNewFile(fresh.get(), paths::exits, *exits, 0644);
    }
    // The user's own down file goes along as it is; else a marked one.
    const bool hadDown = ::fstatat(old, paths::down, &st, AT_SYMLINK_NOFOLLOW) == 0;
    const auto down = hadDown ? readSmallFile(old, paths::down, 4096) : std::optional<QByteArray>(QByteArray(markedDown));
    ok = ok && down && writeNewFile(fresh.get(), paths::down, *down, 0644) && writeChange(fresh.get(), change);
    if (ok && ::fstat(old, &st) == 0)
        ok = ::fchmod(fresh.get(), st.st_mode & 07777 & ~S_ISVTX) == 0;
    const QByteArray target = QFile::encodeName(name);
    if (!ok || ::renameat2(scan, stage, scan, target.constData(), RENAME_EXCHANGE) != 0) {
        removeTree(scan, stage);
        return replyError(message, {errors::failed, QStringLiteral("cannot rebuild %1 without its logger").arg(name)});
    }
    m_busy.insert(name);
    auto freshFd = std::make_shared<Fd>(::openat(scan, target.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    finishLoggingOff(freshFd, change, answer(message, name));
}

void Helper::finishLoggingOff(std::shared_ptr<Fd> fresh, const LoggingChange &change, Finished done)
{
    const int scan = m_tree.dirFd();
    auto old = std::make_shared<Fd>(::openat(scan, change.stage.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    auto log = std::make_shared<Fd>(old->valid() ? ::openat(old->get(), paths::log, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1);
    auto finish = [this, fresh, old, log, change, done](bool stopped) {
        if (!stopped) {
            // The old ./run is still there: the new one must not start beside it. All
            // stays as it is (record, stage, down file) for a later helper to finish.
            return done(Refusal{errors::failed, QStringLiteral("the old directory %1 did not stop").arg(QString::fromUtf8(change.stage))});
        }
        // The log directory (with the logs) moves into the new service directory.
        struct stat st {};
        if (log->valid() && ::fstatat(fresh->get(), paths::log, &st, AT_SYMLINK_NOFOLLOW) != 0)
            ::renameat(old->get(), paths::log, fresh->get(), paths::log);
        removeTree(m_tree.dirFd(), change.stage.constData());
        waitUntil(this, comesBack(fresh), 15000, [fresh, change, done](bool up) {
            settleChange(fresh->get(), change);
            if (!up)
                return done(Refusal{errors::failed, QStringLiteral("the service did not restart cleanly")});
            done(std::nullopt);
        });
    };
    if (!old->valid())
        return finish(true);
    waitUntil(this, stopAndLeave(old), killAfterMs + leaveTimeoutMs, [this, log, finish](bool stopped) {
        if (!stopped || !log->valid() || !superviseRunning(log->get()))
            return finish(stopped);
        // Let the logger read what the service wrote last, then stop it.
        waitUntil(this, [log] { return unreadLogBytes(log->get()) == 0; }, 5000, [this, log, finish](bool) {
            waitUntil(this, stopAndLeave(log), killAfterMs + leaveTimeoutMs, [finish](bool) { finish(true); });
        });
    });
}

} // namespace tz
