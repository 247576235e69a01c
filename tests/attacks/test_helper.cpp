// SPDX-License-Identifier: MIT
// Attacks on the root helper by unprivileged users: each is refused by name and leaves the tree, the processes and the logs as they were.
#include "helpertestbase.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDBusConnectionInterface>
#include <QDBusUnixFileDescriptor>
#include <QDirIterator>
#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace tz;
using namespace tz::test;

namespace {

const QString notAuthorized = QLatin1String(errors::notAuthorized);

// Everything an attack could change: each entry of the scan directory with its type,
// mode, owner and (for files) a hash of its content, the pids of every process
// working in the tree (supervise, multilog, ./run), and nothing that changes by
// itself while the services are quiet.
struct Snapshot {
    QStringList tree;
    QList<qint64> pids;
    bool operator==(const Snapshot &o) const { return tree == o.tree && pids == o.pids; }
};

QList<qint64> pidsUnder(const QString &root)
{
    QList<qint64> out;
    const QByteArray prefix = QFile::encodeName(root) + '/';
    QDir proc(QStringLiteral("/proc"));
    for (const QString &entry : proc.entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QByteArray cwd = QFile::encodeName(QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid)));
        if ((cwd + '/').startsWith(prefix))
            out << pid;
    }
    std::sort(out.begin(), out.end());
    return out;
}

Snapshot snapshot(const QString &root, const QString &outside = {})
{
    Snapshot s;
    for (const QString &top : {root, outside}) {
        if (top.isEmpty())
            continue;
        QDirIterator it(top, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            struct stat st {};
            ::lstat(QFile::encodeName(path).constData(), &st);
            QByteArray hash;
            if (S_ISREG(st.st_mode))
                hash = QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha1).toHex();
            s.tree << QStringLiteral("%1 %2 %3 %4 %5")
                          .arg(path, QString::number(st.st_mode, 8))
                          .arg(st.st_uid)
                          .arg(st.st_nlink)
                          .arg(QString::fromLatin1(hash));
        }
    }
    s.tree.sort();
    s.pids = pidsUnder(root);
    return s;
}

QString describe(const Snapshot &a, const Snapshot &b)
{
    QStringList d;
    for (const QString &l : a.tree)
        if (!b.tree.contains(l))
            d << QStringLiteral("- ") + l;
    for (const QString &l : b.tree)
        if (!a.tree.contains(l))
            d << QStringLiteral("+ ") + l;
    if (a.pids != b.pids)
        d << QStringLiteral("pids differ");
    return d.join(QLatin1Char('\n'));
}

int fdCount(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System).size());
}

qint64 rssKiB(qint64 pid)
{
    const QByteArray status = readFile(QStringLiteral("/proc/%1/status").arg(pid));
    for (const QByteArray &line : status.split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// A call's error name, asked again while the helper's per-caller rate bound
// (LimitExceeded) holds it back: these attacks are about what it answers after.
QString settled(const std::function<QString()> &call)
{
    QString e;
    waitFor([&] {
        e = call();
        return e != QLatin1String(errors::limitExceeded);
    }, 20000);
    return e;
}

// Every mutating or reading method on one service, as one caller; the error names.
QStringList everyMethod(HelperProxy &p, const QString &name)
{
    QStringList errs;
    for (const char *c : {"start", "stop", "restart", "once", "pause", "continue", "hup", "alarm", "interrupt", "kill"})
        errs << settled([&] { return errorOf(p.Control(name, QLatin1String(c))); });
    errs << settled([&] { return errorOf(p.SetLogging(name, false)); }) << settled([&] { return errorOf(p.SetLogging(name, true)); });
    errs << settled([&] { return errorOf(p.ListLogs(name)); })
         << settled([&] { return errorOf(p.OpenLog(name, QStringLiteral("current"))); });
    errs << settled([&] { return errorOf(p.Remove(name, false)); }) << settled([&] { return errorOf(p.Remove(name, true)); });
    return errs;
}

// The flood client: a separate process, run as an unprivileged user, that sends
// count calls of one kind without waiting and then collects every answer.
int floodMain(const QString &kind, int count)
{
    tz::registerIpcTypes();
    HelperProxy p(QStringLiteral("org.tazuna.Helper1"), QStringLiteral("/org/tazuna/Helper1"), QDBusConnection::systemBus());
    p.setTimeout(120000);
    QList<QDBusPendingCall> calls;
    calls.reserve(count);
    for (int i = 0; i < count; ++i) {
        if (kind == QLatin1String("list"))
            calls << p.ListServices();
        else if (kind == QLatin1String("control"))
            calls << p.Control(QStringLiteral("steady"), QStringLiteral("stop"));
        else
            calls << p.OpenLog(QStringLiteral("steady"), QStringLiteral("current"));
    }
    QMap<QString, int> answers;
    for (QDBusPendingCall &c : calls) {
        c.waitForFinished();
        ++answers[c.isError() ? c.error().name() : QStringLiteral("ok")];
    }
    for (auto it = answers.cbegin(); it != answers.cend(); ++it)
        std::printf("%s %d\n", qPrintable(it.key()), it.value());
    return 0;
}

} // namespace

class TestAttacks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void unauthorizedCallerIsRefusedEverywhere();
    void ownAuthorizationReachesNoOtherService();
    void pathTricksInNames();
    void pathTricksInLogFileNames();
    void removeFollowsNoPlantedLink();
    void injectionInTypedParameters();
    void floodKeepsOthersAnswered();
    void oversizedMessages();
    void swapBetweenCheckAndUse();
    void thousandsOfLogDescriptors();
    void busPolicy();
    void cleanupTestCase();

private:
    Snapshot before() { return snapshot(f->scanDir, m_outside.path()); }
    // The helper again, with the per-caller OpenLog rate bound lifted (so that
    // thousands of calls fit the CI budget) or as shipped.
    bool restartHelper(bool unbounded);
    void verifyUnchanged(const Snapshot &was, const char *attack);

    std::unique_ptr<HelperFixture> f;
    TestUser m_mallory;
    std::unique_ptr<HelperProxy> m_asMallory;
    QTemporaryDir m_outside; // what no attack may touch: a secret and a victim folder
    QString m_secret;
    QString m_trace;
};

void TestAttacks::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    // mallory matches no polkit rule: the default answer, no.
    m_mallory = ensureUser(QStringLiteral("tzmallory"));
    m_asMallory = f->proxyFor(m_mallory.uid, m_mallory.gid, QStringLiteral("mallory"));
    ::chmod(QFile::encodeName(m_outside.path()).constData(), 0755);
    m_secret = m_outside.filePath(QStringLiteral("secret"));
    writeFile(m_secret, "SECRET\n", 0600);
    QDir(m_outside.path()).mkpath(QStringLiteral("victim/sub"));
    writeFile(m_outside.filePath(QStringLiteral("victim/sub/keep")), "keep\n", 0644);
    m_trace = m_outside.filePath(QStringLiteral("pwned"));

    // root's service, alice's own, bob's own; all quiet once started, so that
    // nothing in the tree changes unless an attack changes it.
    const QString quiet = QStringLiteral("echo started; exec sleep 100000");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("steady"), foreground(quiet, QStringLiteral("tzalice")))), QString());
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("alices"), foreground(quiet, QString()))), QString());
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bobs"), foreground(quiet, QString()))), QString());
    for (const char *s : {"steady", "alices", "bobs"}) {
        QVERIFY(f->waitState(QLatin1String(s), QStringLiteral("up")));
        QVERIFY(waitFor([&] { return readFile(f->path(QLatin1String(s) + QStringLiteral("/log/main/current"))).contains("started"); }));
        // multilog can write its first line before its supervise, which forked it,
        // gets the CPU back to write the status naming it: a snapshot taken in
        // between would see that status change as if an attack had made it.
        QVERIFY(waitFor([&] { return superviseStatusPid(f->path(QLatin1String(s) + QStringLiteral("/log"))) != 0; }));
    }
    // An archive as multilog leaves it: owned by the user it runs as.
    const QByteArray archive = QFile::encodeName(f->path(QStringLiteral("steady/log/main/@400000006000000000000001.s")));
    writeFile(QFile::decodeName(archive), "public\n", 0644);
    QVERIFY(::chown(archive.constData(), f->alice.uid, f->alice.gid) == 0);
}

void TestAttacks::cleanupTestCase()
{
    QVERIFY2(!QFileInfo::exists(m_trace), "a parameter was run as shell code");
    QCOMPARE(readFile(m_secret), QByteArray("SECRET\n"));
    QCOMPARE(readFile(m_outside.filePath(QStringLiteral("victim/sub/keep"))), QByteArray("keep\n"));
    // Nothing of this run may stay behind: the bus's run folder, the scan
    // directory's parent and the folder outside, each removed whole.
    const QStringList temporary = {f->harness.runDir(), f->scanParent.path(), m_outside.path()};
    m_asMallory.reset();
    f.reset();
    QVERIFY(m_outside.remove());
    for (const QString &dir : temporary) {
        QStringList left;
        for (QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories); it.hasNext();)
            left << it.next();
        QVERIFY2(!QFileInfo::exists(dir), qPrintable(QStringLiteral("%1 is left, holding: %2").arg(dir, left.join(QLatin1Char(' ')))));
    }
}

bool TestAttacks::restartHelper(bool unbounded)
{
    QStringList args;
    if (unbounded) {
        const QString conf = m_outside.filePath(QStringLiteral("helper.conf"));
        writeFile(conf, "max-open-log-per-second = 0\n");
        args << QStringLiteral("--config") << conf;
    } else {
        QFile::remove(m_outside.filePath(QStringLiteral("helper.conf")));
    }
    // The new helper starts svscan again in its own time: wait until every process
    // of the tree is back before anyone takes a snapshot.
    const qsizetype running = pidsUnder(f->scanDir).size();
    return f->harness.startHelper(f->scanDir, args)
        && waitFor([&] { return pidsUnder(f->scanDir).size() == running; }, 15000);
}

void TestAttacks::verifyUnchanged(const Snapshot &was, const char *attack)
{
    // The helper still answers, and nothing moved.
    QDBusPendingReply<ServiceInfoList> r = f->root->ListServices();
    r.waitForFinished();
    QVERIFY2(!r.isError(), attack);
    const Snapshot now = before();
    QVERIFY2(now == was, qPrintable(QStringLiteral("%1 changed:\n%2").arg(QLatin1String(attack), describe(was, now))));
}

void TestAttacks::unauthorizedCallerIsRefusedEverywhere()
{
    // test_refusals covers bob against root's service; here a user no rule knows,
    // against every owner's service, with every method, and Create in every form.
    const Snapshot was = before();
    int tried = 0;
    for (const char *s : {"steady", "alices", "bobs"}) {
        for (const QString &e : everyMethod(*m_asMallory, QLatin1String(s))) {
            QCOMPARE(e, notAuthorized);
            ++tried;
        }
    }
    for (const QString &user : {QString(), QStringLiteral("tzmallory"), QStringLiteral("tzalice"), QStringLiteral("root")}) {
        QCOMPARE(errorOf(m_asMallory->Create(QStringLiteral("foreground"), QStringLiteral("mallorys"), foreground(QStringLiteral("sleep 1"), user))), notAuthorized);
        ++tried;
    }
    qInfo("attack unauthorized: %d calls, all NotAuthorized", tried);
    verifyUnchanged(was, "unauthorized");
}

void TestAttacks::ownAuthorizationReachesNoOtherService()
{
    // bob holds only the -own actions: his grant must not carry over to alice's own
    // service nor to root's, whatever the method.
    const Snapshot was = before();
    int tried = 0;
    for (const char *s : {"alices", "steady"}) {
        for (const QString &e : everyMethod(*f->asBob, QLatin1String(s))) {
            QCOMPARE(e, notAuthorized);
            ++tried;
        }
    }
    // A list of his own logs lets him open the files it named without polkit (the
    // log grant), and nothing of anyone else's, not even files of the same name.
    QCOMPARE(errorOf(f->asBob->ListLogs(QStringLiteral("bobs"))), QString());
    for (const char *s : {"alices", "steady"}) {
        QCOMPARE(errorOf(f->asBob->OpenLog(QLatin1String(s), QStringLiteral("current"))), notAuthorized);
        ++tried;
    }
    // Taking over a name: creating "alices" again as himself.
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("alices"), foreground(QStringLiteral("sleep 1"), QString()))),
             QLatin1String(errors::alreadyExists));
    ++tried;
    // His own service stays his: the grant works there (control only, so nothing changes).
    // The helper answers once the command is in the control fifo; supervise then
    // writes the same status again through status.new and a rename, as 0.76 does
    // for every command. Wait for that rename (a new inode), so that the snapshot
    // does not meet the passing status.new.
    const QString bobsStatus = f->path(QStringLiteral("bobs/supervise/status"));
    const ino_t statusBefore = inodeOf(bobsStatus);
    QCOMPARE(errorOf(f->asBob->Control(QStringLiteral("bobs"), QStringLiteral("continue"))), QString());
    QVERIFY(waitFor([&] { return inodeOf(bobsStatus) != statusBefore; }));
    qInfo("attack cross-user: %d calls, all refused", tried);
    verifyUnchanged(was, "cross-user");
}

void TestAttacks::pathTricksInNames()
{
    // Look-alikes of '/' and '.', invisible and direction-changing characters, C1
    // controls and names that are short in characters but long in bytes. None may
    // reach anything outside the scan directory: each is refused or names one
    // (absent) entry of it.
    const QStringList names = {
        QStringLiteral("..\u2215..\u2215etc"), QStringLiteral("\uff0e\uff0e\uff0fetc"), QStringLiteral("a\u2044b"),
        QStringLiteral("a\u29f8b"), QStringLiteral("\u2024\u2024"), QStringLiteral("steady\u202e"), QStringLiteral("ste\u200bady"),
        QStringLiteral("a\u0085b"), QStringLiteral("a\u2028b"), QStringLiteral("a\u009bb"), QString(128, QChar(0x65e5)),
        QString(256, QLatin1Char('x')), QStringLiteral("%2e%2e%2fetc"), QStringLiteral("steady/"), QStringLiteral("/service/steady"),
        QStringLiteral("steady/../bobs"), QStringLiteral(" "), QStringLiteral("\\..\\etc"), QStringLiteral("..."),
    };
    const QStringList allowed = {QLatin1String(errors::invalidName), QLatin1String(errors::noSuchService)};
    const Snapshot was = before();
    int tried = 0;
    for (const QString &name : names) {
        const QByteArray shown = name.toUtf8().toPercentEncoding();
        for (const QString &e : everyMethod(*f->asAlice, name)) {
            QVERIFY2(allowed.contains(e), (shown + ' ' + e.toUtf8()).constData());
            ++tried;
        }
        QVERIFY2(allowed.contains(errorOf(f->root->GetService(name))), shown.constData());
        ++tried;
    }
    // A name longer than 255 bytes is no service name, however few characters it has.
    for (const QString &name : {QString(128, QChar(0x65e5)), QString(256, QLatin1Char('x'))})
        QCOMPARE(errorOf(f->root->Control(name, QStringLiteral("stop"))), QLatin1String(errors::invalidName));
    // Nor is one with a control character, C1 (U+0080..U+009F, two bytes in UTF-8)
    // as much as C0.
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("a\u0085b"), QStringLiteral("stop"))), QLatin1String(errors::invalidName));
    // NUL cannot travel: D-Bus strings have none, and the client library cuts the
    // string there, so the helper sees "steady" and nothing after the NUL (read-only
    // here: a client that sends "steady\0x" to Control stops steady, its own doing).
    const QString withNul = QStringLiteral("steady") + QChar(0) + QStringLiteral("/../../etc");
    QDBusPendingReply<ServiceDetails> cut = f->asAlice->GetService(withNul);
    cut.waitForFinished();
    QVERIFY(cut.isError() || cut.value().info.name == QLatin1String("steady"));
    ++tried;
    qInfo("attack path tricks in names: %d calls, all InvalidName or NoSuchService", tried);
    verifyUnchanged(was, "path tricks in names");

    // Creating under a look-alike: refused, or exactly one new entry directly in the
    // scan directory with exactly that name, gone again after Remove.
    for (const QString &name : {QStringLiteral("..\u2215..\u2215tmp"), QStringLiteral("\uff0e\uff0e\uff0ftmp")}) {
        const QString e = errorOf(f->asAlice->Create(QStringLiteral("foreground"), name,
                                                     foreground(QStringLiteral("exec sleep 100000"), QString(), false)));
        if (e.isEmpty()) {
            QVERIFY(QFileInfo(f->scanDir + QLatin1Char('/') + name).isDir());
            QCOMPARE(QFileInfo(f->scanDir + QLatin1Char('/') + name).absolutePath(), QFileInfo(f->scanDir).absoluteFilePath());
            QVERIFY(f->waitState(name, QStringLiteral("up")));
            QCOMPARE(errorOf(f->asAlice->Remove(name, true)), QString());
            qInfo("look-alike name %s: accepted as one entry of the scan directory", name.toUtf8().toPercentEncoding().constData());
        } else {
            QCOMPARE(e, QLatin1String(errors::invalidName));
        }
    }
    QVERIFY(waitFor([&] { return before() == was; }, 15000));
    verifyUnchanged(was, "look-alike create");
}

void TestAttacks::pathTricksInLogFileNames()
{
    const QStringList files = {
        QStringLiteral("current\n"), QStringLiteral("current "), QStringLiteral("\uff43urrent"), QStringLiteral("curr\u200bent"),
        QStringLiteral("@400000006000000000000001.s\u2215..\u2215..\u2215run"), QStringLiteral("@400000006000000000000001.S"),
        QStringLiteral("@40000000600000000000000１.s"), QStringLiteral("@400000006000000000000001.s/"), QStringLiteral("./current"),
        QStringLiteral("main/current"), QStringLiteral("../log/main/current"), QStringLiteral("%2e%2e/run"), QString(64, QLatin1Char('@')),
        QStringLiteral("current") + QChar(0x2044), QStringLiteral("lock"), QStringLiteral("state"), QStringLiteral("processed"),
        QStringLiteral("newstate"),
    };
    const Snapshot was = before();
    int tried = 0;
    for (const QString &file : files) {
        const QString e = settled([&] { return errorOf(f->asAlice->OpenLog(QStringLiteral("steady"), file)); });
        QVERIFY2(e == QLatin1String(errors::noSuchLogFile), (file.toUtf8().toPercentEncoding() + ' ' + e.toUtf8()).constData());
        ++tried;
    }
    // A NUL cuts the name in the client library: what arrives is "current", and what
    // comes back is that file, read-only, whatever followed the NUL.
    QDBusPendingReply<QDBusUnixFileDescriptor> cut;
    waitFor([&] {
        cut = f->asAlice->OpenLog(QStringLiteral("steady"), QStringLiteral("current") + QChar(0) + QStringLiteral("/../../run"));
        cut.waitForFinished();
        return !cut.isError() || cut.error().name() != QLatin1String(errors::limitExceeded);
    }, 20000);
    if (!cut.isError()) {
        char buf[256] = {};
        const ssize_t n = ::pread(cut.value().fileDescriptor(), buf, sizeof buf - 1, 0);
        QVERIFY(n > 0 && QByteArray(buf).contains("started"));
        QVERIFY((::fcntl(cut.value().fileDescriptor(), F_GETFL) & O_ACCMODE) == O_RDONLY);
    }
    ++tried;
    qInfo("attack path tricks in log file names: %d calls, all refused", tried);
    verifyUnchanged(was, "path tricks in log file names");
}

void TestAttacks::swapBetweenCheckAndUse()
{
    // The service's user owns log/main and may plant anything there at any moment. A
    // thread keeps turning the archive into a symlink to the secret, a hard link to
    // it, the real archive and nothing, and swaps log/main itself with a symlink to
    // a folder holding a copy of the secret, while alice calls OpenLog over and over.
    // No descriptor may ever read anything but the real archive.
    const QString mainDir = f->path(QStringLiteral("steady/log/main"));
    const QString archive = QStringLiteral("@400000006000000000000001.s");
    const QByteArray mainPath = QFile::encodeName(mainDir);
    const QByteArray logPath = QFile::encodeName(f->path(QStringLiteral("steady/log")));
    const QString stash = m_outside.filePath(QStringLiteral("stash"));
    QVERIFY(restartHelper(true));
    const Snapshot was = before();
    QDir(m_outside.path()).mkpath(QStringLiteral("fake"));
    writeFile(m_outside.filePath(QStringLiteral("fake/") + archive), "FAKE\n", 0644);

    std::atomic<bool> stop{false};
    std::atomic<long> swaps{0};
    std::thread swapper([&] {
        const int dir = ::open(mainPath.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const int log = ::open(logPath.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const QByteArray stashPath = QFile::encodeName(stash);
        const QByteArray secret = QFile::encodeName(m_secret);
        const QByteArray fake = QFile::encodeName(m_outside.filePath(QStringLiteral("fake")));
        const QByteArray name = archive.toLatin1();
        ::symlinkat(fake.constData(), log, ".swap");
        while (!stop.load()) {
            ::renameat(dir, name.constData(), AT_FDCWD, stashPath.constData()); // absent
            ::symlinkat(secret.constData(), dir, ".l");
            ::renameat(dir, ".l", dir, name.constData()); // a symlink to the secret
            ::linkat(AT_FDCWD, secret.constData(), dir, ".h", 0);
            ::renameat(dir, ".h", dir, name.constData()); // a hard link to it
            ::renameat(AT_FDCWD, stashPath.constData(), dir, name.constData()); // the real one
            ::renameat2(log, "main", log, ".swap", RENAME_EXCHANGE); // log/main a symlink out
            ::renameat2(log, "main", log, ".swap", RENAME_EXCHANGE); // and back
            ++swaps;
        }
        ::unlinkat(log, ".swap", 0);
        ::close(dir);
        ::close(log);
    });

    const int rounds = 1600;
    int real = 0;
    QMap<QString, int> refused;
    for (int i = 0; i < rounds; i += 8) {
        // Eight at a time, within the helper's bound on authorizations under way.
        QList<QDBusPendingReply<QDBusUnixFileDescriptor>> calls;
        for (int k = 0; k < 8; ++k)
            calls << f->asAlice->OpenLog(QStringLiteral("steady"), archive);
        for (auto &c : calls) {
            c.waitForFinished();
            if (c.isError()) {
                ++refused[c.error().name()];
                continue;
            }
            const int fd = c.value().fileDescriptor();
            QVERIFY((::fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
            char buf[64] = {};
            const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
            QCOMPARE(QByteArray(buf, int(std::max<ssize_t>(n, 0))), QByteArray("public\n"));
            ++real;
        }
    }
    stop = true;
    swapper.join();
    QVERIFY(QFileInfo(mainDir).isDir() && !QFileInfo(mainDir).isSymLink());
    QCOMPARE(readFile(mainDir + QLatin1Char('/') + archive), QByteArray("public\n"));
    QCOMPARE(readFile(m_secret), QByteArray("SECRET\n"));
    for (auto it = refused.cbegin(); it != refused.cend(); ++it)
        QVERIFY2(it.key() == QLatin1String(errors::noSuchLogFile) || it.key() == QLatin1String(errors::limitExceeded), qPrintable(it.key()));
    qInfo("attack check/use swap: %d OpenLog calls during %ld swap cycles: %d real archive, %d NoSuchLogFile, %d LimitExceeded, 0 secret",
          rounds, swaps.load(), real, refused.value(QLatin1String(errors::noSuchLogFile)), refused.value(QLatin1String(errors::limitExceeded)));
    QVERIFY(real > 0);
    QVERIFY(refused.value(QLatin1String(errors::noSuchLogFile)) > 0);
    QDir(m_outside.filePath(QStringLiteral("fake"))).removeRecursively();
    verifyUnchanged(was, "check/use swap");
}

void TestAttacks::removeFollowsNoPlantedLink()
{
    // The user multilog runs as plants links in log/main, pointing at a folder and a
    // file of someone else's; removing the service with its logs deletes the links,
    // never what they point at.
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("planted"),
                                        foreground(QStringLiteral("echo started; exec sleep 100000"), QString()))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("planted"), QStringLiteral("up")));
    const QString main = f->path(QStringLiteral("planted/log/main"));
    QVERIFY(waitFor([&] { return readFile(main + QStringLiteral("/current")).contains("started"); }));
    const Snapshot outsideBefore = snapshot(m_outside.path());
    QVERIFY(QFile::link(m_outside.filePath(QStringLiteral("victim")), main + QStringLiteral("/victim")));
    QVERIFY(QFile::link(m_secret, main + QStringLiteral("/@400000006000000000000002.s")));
    QVERIFY(QDir(main).mkpath(QStringLiteral("deeper")));
    QVERIFY(QFile::link(m_outside.filePath(QStringLiteral("victim/sub")), main + QStringLiteral("/deeper/sub")));
    QVERIFY(::link(QFile::encodeName(m_secret).constData(), QFile::encodeName(main + QStringLiteral("/hard")).constData()) == 0);
    QCOMPARE(errorOf(f->asAlice->Remove(QStringLiteral("planted"), true)), QString());
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("planted"))));
    const Snapshot outsideAfter = snapshot(m_outside.path());
    QVERIFY2(outsideAfter.tree == outsideBefore.tree, qPrintable(describe(outsideBefore, outsideAfter)));
    qInfo("attack planted links on Remove: 4 links planted, 0 followed");
}

void TestAttacks::injectionInTypedParameters()
{
    // test_refusals sends shell text to every free-text parameter; here it goes to
    // the typed ones and to variable names, which must refuse it by name.
    const QString t = m_trace;
    const QList<QPair<QString, QString>> attempts = {
        {QStringLiteral("user"), QStringLiteral("tzalice;touch %1").arg(t)},
        {QStringLiteral("user"), QStringLiteral("$(touch %1)").arg(t)},
        {QStringLiteral("user"), QStringLiteral("tzalice\nroot")},
        {QStringLiteral("user"), QStringLiteral("`id`")},
        {QStringLiteral("limit-memory"), QStringLiteral("1;touch %1").arg(t)},
        {QStringLiteral("limit-files"), QStringLiteral("10 -p 1")},
        {QStringLiteral("log-size"), QStringLiteral("99999 ./x")},
        {QStringLiteral("log-count"), QStringLiteral("-5")},
        {QStringLiteral("backoff"), QStringLiteral("$(touch %1)").arg(t)},
        {QStringLiteral("log"), QStringLiteral("true;touch %1").arg(t)},
        {QStringLiteral("start"), QStringLiteral("yes\n")},
        {QStringLiteral("directory"), QStringLiteral("/tmp\ntouch %1").arg(t)},
        {QStringLiteral("directory"), QStringLiteral("$(touch %1)").arg(t)},
        {QStringLiteral("command"), QStringLiteral("/bin/sh -c 'touch %1'").arg(t)},
        {QStringLiteral("command"), QStringLiteral("touch %1").arg(t)},
        {QStringLiteral("command"), QStringLiteral("LD_PRELOAD=/tmp/x.so")},
        {QStringLiteral("environment"), QStringLiteral("{\"A;touch %1\":\"x\"}").arg(t)},
        {QStringLiteral("environment"), QStringLiteral("{\"A=B\":\"x\"}")},
        {QStringLiteral("environment"), QStringLiteral("{\"A\\nB\":\"x\"}")},
        {QStringLiteral("environment"), QStringLiteral("{\"$(id)\":\"x\"}")},
        {QStringLiteral("environment"), QStringLiteral("{\"A\":1}")},
        {QStringLiteral("arguments"), QStringLiteral("\"-c\" \"touch %1\"").arg(t)},
        {QStringLiteral("arguments"), QStringLiteral("[[\"nested\"]]")},
    };
    const QStringList named = {QLatin1String(errors::invalidParameter), QLatin1String(errors::noSuchUser), QLatin1String(errors::notExecutable)};
    const Snapshot was = before();
    for (const auto &[key, value] : attempts) {
        ParameterMap p = foreground(QStringLiteral("exec sleep 100000"), QString());
        p.insert(key, value);
        const QString e = errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("injected"), p));
        QVERIFY2(named.contains(e), qPrintable(key + QLatin1Char(' ') + value + QLatin1Char(' ') + e));
    }
    // The ssh template's hosts: an option or a command in disguise.
    for (const QString &host : {QStringLiteral("-oProxyCommand=touch %1").arg(t), QStringLiteral("host;touch %1").arg(t),
                                QStringLiteral("$(touch %1)").arg(t), QStringLiteral("a b")}) {
        ParameterMap p{{QStringLiteral("destination"), host}, {QStringLiteral("local-port"), QStringLiteral("10022")},
                       {QStringLiteral("target-port"), QStringLiteral("22")}};
        QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("ssh-tunnel"), QStringLiteral("injected"), p)), QLatin1String(errors::invalidParameter));
    }
    qInfo("attack typed-parameter injection: %lld Create calls, all refused by name", qlonglong(attempts.size() + 4));
    QVERIFY(!QFileInfo::exists(m_trace));
    verifyUnchanged(was, "typed-parameter injection");
}

void TestAttacks::floodKeepsOthersAnswered()
{
    // mallory floods the helper from separate processes, rounds of
    // "kind:count[+kind:count]" (list = ListServices, anyone's right; control and
    // openlog are unauthorized, so each costs a polkit question); alice meanwhile
    // times her own calls. TZ_FLOOD is a comma-separated list of rounds.
    const Snapshot was = before();
    const qint64 helper = f->harness.helperPid();
    const int fdsBefore = fdCount(helper);
    QElapsedTimer idle;
    idle.start();
    QDBusPendingReply<ServiceInfoList> probe = f->asAlice->ListServices();
    probe.waitForFinished();
    const qint64 idleMs = idle.elapsed();

    // The default is the combination that once left nobody answered (the private
    // bus blocked on a full stderr pipe); TZ_FLOOD chooses heavier rounds by hand.
    const QString plan = qEnvironmentVariable("TZ_FLOOD", QStringLiteral("control:500+openlog:500,list:300"));
    const QStringList rounds = plan.split(QLatin1Char(','));
    const QString self = QCoreApplication::applicationFilePath();
    QList<qint64> latencies;
    QStringList answers;
    int sent = 0;
    QElapsedTimer during;
    during.start();
    for (const QString &round : rounds) {
        QList<QPair<QString, QProcess *>> floods;
        for (const QString &part : round.split(QLatin1Char('+'))) {
            const QString kind = part.section(QLatin1Char(':'), 0, 0);
            const int count = part.section(QLatin1Char(':'), 1, 1).toInt();
            sent += count;
            auto *p = new QProcess(this);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), f->harness.address());
            p->setProcessEnvironment(env);
            p->start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=%1").arg(m_mallory.uid), QStringLiteral("--regid=%1").arg(m_mallory.gid),
                                                 QStringLiteral("--init-groups"), self, QStringLiteral("--flood"), kind, QString::number(count)});
            QVERIFY(p->waitForStarted());
            floods << qMakePair(kind, p);
        }
        int probes = 0;
        while (probes < 20) {
            QElapsedTimer t;
            t.start();
            QDBusPendingReply<ServiceInfoList> r = f->asAlice->ListServices();
            r.waitForFinished();
            QVERIFY2(!r.isError(), qPrintable(r.error().name()));
            latencies << t.elapsed();
            ++probes;
            if (std::all_of(floods.begin(), floods.end(), [](const auto &fl) { return fl.second->state() == QProcess::NotRunning; }))
                break;
        }
        for (const auto &[kind, p] : floods) {
            QVERIFY(p->waitForFinished(120000));
            const QString a = QString::fromUtf8(p->readAllStandardOutput()).trimmed().replace(QLatin1Char('\n'), QStringLiteral(", "));
            // Reading the list is anyone's right; nothing else may have been granted.
            if (kind != QLatin1String("list"))
                QVERIFY2(!a.isEmpty() && !a.contains(QLatin1String("ok ")), qPrintable(a));
            answers << kind + QStringLiteral(": ") + a;
            delete p;
        }
    }
    const qint64 floodMs = during.elapsed();
    std::sort(latencies.begin(), latencies.end());
    const qint64 worst = latencies.isEmpty() ? -1 : latencies.back();
    const qint64 median = latencies.isEmpty() ? -1 : latencies.at(latencies.size() / 2);
    qInfo("attack flood: %d calls in %lld rounds from processes of tzmallory in %lld ms; alice's ListServices idle %lld ms, during the flood median %lld ms, worst %lld ms over %lld calls; answers: %s",
          sent, qlonglong(rounds.size()), floodMs, idleMs, median, worst, qlonglong(latencies.size()), qPrintable(answers.join(QStringLiteral(" | "))));
    // Bounded: another client is always answered, within the bus's 25 s default timeout.
    QVERIFY(worst >= 0 && worst < 25000);
    QVERIFY(waitFor([&] { return fdCount(helper) <= fdsBefore + 2; }));
    verifyUnchanged(was, "flood");
}

void TestAttacks::oversizedMessages()
{
    // Messages as large as the bus lets through, and larger: a parameter of 8 MB, a
    // map of 100 000 keys, a name of 1 MB. Each is refused by name (or by the bus)
    // and the helper's memory returns to where it was.
    const Snapshot was = before();
    const qint64 helper = f->harness.helperPid();
    const qint64 rssBefore = rssKiB(helper);
    QElapsedTimer t;
    t.start();
    ParameterMap big = foreground(QStringLiteral("sleep 1"), QString());
    big.insert(QStringLiteral("arguments"), QStringLiteral("[\"%1\"]").arg(QString(8 << 20, QLatin1Char('a'))));
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("big"), big)), QLatin1String(errors::invalidParameter));
    ParameterMap many = foreground(QStringLiteral("sleep 1"), QString());
    for (int i = 0; i < 100000; ++i)
        many.insert(QStringLiteral("k%1").arg(i), QStringLiteral("v"));
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("many"), many)), QLatin1String(errors::invalidParameter));
    QCOMPARE(errorOf(f->asAlice->Control(QString(1 << 20, QLatin1Char('x')), QStringLiteral("stop"))), QLatin1String(errors::invalidName));
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("steady"), QString(1 << 20, QLatin1Char('@')))), QLatin1String(errors::noSuchLogFile));
    // Beyond the system bus's message limit: the bus refuses it and drops the
    // sender's connection, so it goes on a connection of its own; the helper never
    // sees it.
    ParameterMap huge = foreground(QStringLiteral("sleep 1"), QString());
    huge.insert(QStringLiteral("arguments"), QString(40 << 20, QLatin1Char('a')));
    const auto bulky = f->proxyFor(f->alice.uid, f->alice.gid, QStringLiteral("alice-huge"));
    QVERIFY(!errorOf(bulky->Create(QStringLiteral("foreground"), QStringLiteral("huge"), huge)).isEmpty());
    const qint64 ms = t.elapsed();
    QElapsedTimer other;
    other.start();
    QDBusPendingReply<ServiceInfoList> r = f->asBob->ListServices();
    r.waitForFinished();
    QVERIFY(!r.isError());
    const qint64 rssAfter = rssKiB(helper);
    qInfo("attack oversized: 5 messages (8 MB value, 100000 keys, 1 MB name, 1 MB file name, 40 MB value) refused in %lld ms; bob answered in %lld ms; helper RSS %lld KiB before, %lld KiB after",
          ms, other.elapsed(), rssBefore, rssAfter);
    QVERIFY(rssAfter < rssBefore + 64 * 1024);
    verifyUnchanged(was, "oversized");
}

void TestAttacks::busPolicy()
{
    // test_refusals covers bob asking for the name in-process; here a separate
    // process of a user no rule knows asks too, and tries the property setter and
    // a method the interface does not have.
    int code = -1;
    const QByteArray out = f->harness.runAs(QStringLiteral("tzmallory"),
        {QStringLiteral("gdbus"), QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"), QStringLiteral("org.freedesktop.DBus"),
         QStringLiteral("--object-path"), QStringLiteral("/org/freedesktop/DBus"), QStringLiteral("--method"),
         QStringLiteral("org.freedesktop.DBus.RequestName"), QStringLiteral("org.tazuna.Helper1"), QStringLiteral("0")},
        &code);
    QVERIFY2(out.contains("org.freedesktop.DBus.Error.AccessDenied"), out.constData());
    const QByteArray set = f->harness.runAs(QStringLiteral("tzmallory"),
        {QStringLiteral("gdbus"), QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"), QStringLiteral("org.tazuna.Helper1"),
         QStringLiteral("--object-path"), QStringLiteral("/org/tazuna/Helper1"), QStringLiteral("--method"),
         QStringLiteral("org.freedesktop.DBus.Properties.Set"), QStringLiteral("org.tazuna.Helper1"), QStringLiteral("ScanDirectory"),
         QStringLiteral("<'/etc'>")},
        &code);
    QVERIFY2(code != 0 && set.contains("Error"), set.constData());
    const QByteArray unknown = f->harness.runAs(QStringLiteral("tzmallory"),
        {QStringLiteral("gdbus"), QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"), QStringLiteral("org.tazuna.Helper1"),
         QStringLiteral("--object-path"), QStringLiteral("/org/tazuna/Helper1"), QStringLiteral("--method"),
         QStringLiteral("org.tazuna.Helper1.RunCommand"), QStringLiteral("id")},
        &code);
    QVERIFY2(code != 0 && unknown.contains("Error"), unknown.constData());
    QDBusPendingReply<ServiceInfoList> r = f->root->ListServices();
    r.waitForFinished();
    QVERIFY(!r.isError());
    QCOMPARE(f->root->scanDirectory(), f->scanDir);
    qInfo("attack bus policy: RequestName AccessDenied; Properties.Set refused; unknown method refused");
}

void TestAttacks::thousandsOfLogDescriptors()
{
    // alice keeps 2000 descriptors of the same log; the helper keeps none of them.
    rlimit lim {};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    const rlimit raised{std::min<rlim_t>(lim.rlim_max, 8192), lim.rlim_max};
    ::setrlimit(RLIMIT_NOFILE, &raised);
    const Snapshot was = before();
    const qint64 helper = f->harness.helperPid();
    const int fdsBefore = fdCount(helper);
    QList<QDBusUnixFileDescriptor> held;
    QMap<QString, int> refused;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 2000; i += 8) {
        QList<QDBusPendingReply<QDBusUnixFileDescriptor>> calls;
        for (int k = 0; k < 8; ++k)
            calls << f->asAlice->OpenLog(QStringLiteral("steady"), QStringLiteral("current"));
        for (auto &c : calls) {
            c.waitForFinished();
            if (c.isError())
                ++refused[c.error().name()];
            else
                held << c.value();
        }
    }
    const qint64 ms = t.elapsed();
    const int fdsHolding = fdCount(helper);
    QElapsedTimer other;
    other.start();
    QDBusPendingReply<ServiceInfoList> r = f->asBob->ListServices();
    r.waitForFinished();
    QVERIFY(!r.isError());
    qInfo("attack log descriptors: 2000 OpenLog in %lld ms, %lld held by the client, refused %s; helper fds %d before, %d while held; bob answered in %lld ms",
          ms, qlonglong(held.size()), qPrintable(QStringList(refused.keys()).join(QLatin1Char(','))), fdsBefore, fdsHolding, other.elapsed());
    for (auto it = refused.cbegin(); it != refused.cend(); ++it)
        QCOMPARE(it.key(), QLatin1String(errors::limitExceeded));
    QVERIFY(fdsHolding <= fdsBefore + 2);
    held.clear();
    ::setrlimit(RLIMIT_NOFILE, &lim);
    verifyUnchanged(was, "log descriptors");
    QVERIFY(restartHelper(false));
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--flood") == 0)
        return floodMain(QString::fromLatin1(argv[2]), QByteArray(argv[3]).toInt());
    TestAttacks t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_helper.moc"
