// SPDX-License-Identifier: MIT
// Every refusal of the helper: who may not, which names and paths are refused, and shell text that stays text.
#include "helpertestbase.h"
#include "polkitagent.h"

#include <QDBusConnectionInterface>
#include <QDirIterator>

#include <unistd.h>

using namespace tz;
using namespace tz::test;

namespace {

// Shell metacharacters, quotes, a newline, command substitutions that would leave a
// trace if the shell ever ran them.
QString evil(const QString &trace)
{
    return QStringLiteral("a'b\"c $(touch %1) `touch %1` ;touch %1; | & < > * ? ~ ! # \\ %% {x,y} [z]\nnext line $HOME ${PATH} '\\''")
        .arg(trace);
}

// The scan directory as names, types, modes and sizes, without what supervise and
// multilog change while they run.
QStringList snapshot(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = path.mid(root.size());
        if (rel.contains(QLatin1String("/supervise/")) || rel.contains(QLatin1String("/log/main/")))
            continue;
        struct stat st {};
        ::lstat(QFile::encodeName(path).constData(), &st);
        out << QStringLiteral("%1 %2 %3 %4").arg(rel).arg(st.st_mode, 0, 8).arg(st.st_uid).arg(S_ISREG(st.st_mode) ? st.st_size : 0);
    }
    out.sort();
    return out;
}

// How long one allowed ListLogs lets its caller open the files it listed: long
// enough for a loaded machine to remove and create a service within it.
constexpr int logGrantSeconds = 8;

const QStringList badNames = {
    QStringLiteral("a/b"), QStringLiteral(".."), QStringLiteral("."), QStringLiteral(".hidden"), QStringLiteral("a\nb"),
    QStringLiteral("a\x01" "b"), QStringLiteral("tab\there"), QStringLiteral("del\x7f"), QString(10000, QLatin1Char('x')),
    QString(), QStringLiteral("../escape"), QStringLiteral("/abs"), QString::fromUtf8("next\u0085line"),
    QString::fromUtf8("c1\u009b"),
};

} // namespace

class TestRefusals : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void unauthorizedUserIsRefusedEverything();
    void ownServicesNeedNoAdmin();
    void dismissedDialogIsCancelledNotRefused();
    void oneAuthenticationOpensTheFilesItListed();
    void badNamesAreRefused();
    void logPathsStayInsideTheLogDirectory();
    void plantedSymlinksAreNotFollowed();
    void shellTextStaysText();
    void everyTemplateParameterIsQuotedOrRefused();
    void badTemplatesAndParameterMaps();
    void busPolicyKeepsTheNameForRoot();
    void cleanupTestCase();

private:
    std::unique_ptr<HelperFixture> f;
    QTemporaryDir m_work;
    QTemporaryDir m_conf;
    QString m_trace;
};

void TestRefusals::initTestCase()
{
    const QString conf = m_conf.filePath(QStringLiteral("helper.conf"));
    writeFile(conf, QStringLiteral("log-grant-seconds = %1\n").arg(logGrantSeconds).toUtf8());
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start(false, {QStringLiteral("--config"), conf}));
    ::chmod(QFile::encodeName(m_work.path()).constData(), 0777);
    m_trace = m_work.filePath(QStringLiteral("pwned"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("steady"),
                                     foreground(QStringLiteral("echo started; exec sleep 100000"), QStringLiteral("tzalice")))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("steady"), QStringLiteral("up")));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(f->path(QStringLiteral("steady/log/main/current"))).contains("started"), 10000);
}

void TestRefusals::cleanupTestCase()
{
    QVERIFY2(!QFileInfo::exists(m_trace), "a parameter was run as shell code");
    f.reset();
}

void TestRefusals::unauthorizedUserIsRefusedEverything()
{
    const QString steady = QStringLiteral("steady");
    const quint32 pid = f->find(steady)->pid;
    const QStringList before = snapshot(f->scanDir);
    const QString refused = QLatin1String(errors::notAuthorized);
    for (const char *c : {"start", "stop", "restart", "once", "pause", "continue", "hup", "alarm", "interrupt", "kill"})
        QCOMPARE(errorOf(f->asBob->Control(steady, QLatin1String(c))), refused);
    QCOMPARE(errorOf(f->asBob->SetLogging(steady, false)), refused);
    QCOMPARE(errorOf(f->asBob->Remove(steady, true)), refused);
    QCOMPARE(errorOf(f->asBob->ListLogs(steady)), refused);
    QCOMPARE(errorOf(f->asBob->OpenLog(steady, QStringLiteral("current"))), refused);
    // A service for another user, or for root, is not bob's own.
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bobs"), foreground(QStringLiteral("sleep 1"), QStringLiteral("tzalice")))),
             refused);
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bobs"), foreground(QStringLiteral("sleep 1"), QStringLiteral("root")))),
             refused);
    QCOMPARE(snapshot(f->scanDir), before);
    QCOMPARE(f->find(steady)->pid, pid);
    QCOMPARE(f->find(steady)->state, QStringLiteral("up"));
}

void TestRefusals::ownServicesNeedNoAdmin()
{
    // bob's rule grants only the -own actions: a service he creates to run as
    // himself is his to manage.
    ParameterMap p = foreground(QStringLiteral("echo mine; exec sleep 100000"), QString());
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bobs"), p)), QString());
    QVERIFY(f->waitState(QStringLiteral("bobs"), QStringLiteral("up")));
    const auto info = f->find(QStringLiteral("bobs"));
    QCOMPARE(info->runAs, QStringLiteral("tzbob"));
    QCOMPARE(info->ownerUid, f->bob.uid);
    // Its first line first: a restart before it would kill it before it printed.
    const QString current = f->path(QStringLiteral("bobs/log/main/current"));
    QVERIFY(waitFor([&] { return readFile(current).count("mine") == 1; }));
    QCOMPARE(errorOf(f->asBob->Control(QStringLiteral("bobs"), QStringLiteral("restart"))), QString());
    QVERIFY(waitFor([&] { return readFile(current).count("mine") == 2; }));
    QCOMPARE(errorOf(f->asBob->ListLogs(QStringLiteral("bobs"))), QString());
    // Not alice's: she is authorized for everything by her rule anyway, but bob is
    // not for hers.
    QCOMPARE(errorOf(f->asBob->Control(QStringLiteral("steady"), QStringLiteral("restart"))), QLatin1String(errors::notAuthorized));
    QCOMPARE(errorOf(f->asBob->Remove(QStringLiteral("bobs"), true)), QString());
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("bobs"))));
}

void TestRefusals::dismissedDialogIsCancelledNotRefused()
{
    // carol's restart of alice's service needs an administrator's password.
    const quint32 pid = f->find(QStringLiteral("steady"))->pid;
    TestAgent agent;
    QString why;
    QVERIFY2(agent.registerFor(f->harness.connectAs(0, 0, QStringLiteral("agent")), &why), qPrintable(why));
    // A call that does not allow a dialog gets the D-Bus error that says so, and
    // nobody is asked.
    QCOMPARE(errorOf(f->asCarol->Control(QStringLiteral("steady"), QStringLiteral("restart"))),
             QLatin1String(errors::interactiveAuthorizationRequired));
    QCOMPARE(errorOf(f->asCarol->OpenLog(QStringLiteral("steady"), QStringLiteral("current"))),
             QLatin1String(errors::interactiveAuthorizationRequired));
    QVERIFY(agent.askedActions().isEmpty());
    // One that allows it: her agent closes the dialog, and the answer is Cancelled.
    QDBusPendingReply<> restart = askingCall(*f->asCarol, QStringLiteral("Control"), {QStringLiteral("steady"), QStringLiteral("restart")});
    QTRY_VERIFY_WITH_TIMEOUT(restart.isFinished(), 30000); // the loop runs: the agent answers through it
    QCOMPARE(restart.error().name(), QLatin1String(errors::cancelled));
    QCOMPARE(agent.askedActions(), QStringList{QStringLiteral("org.tazuna.control")});
    QDBusPendingReply<LogFileInfoList> logs = askingCall(*f->asCarol, QStringLiteral("ListLogs"), {QStringLiteral("steady")});
    QTRY_VERIFY_WITH_TIMEOUT(logs.isFinished(), 30000);
    QCOMPARE(logs.error().name(), QLatin1String(errors::cancelled));
    QCOMPARE(agent.askedActions().size(), 2);
    // Without an agent nobody can be asked: a refusal.
    agent.unregister();
    QDBusPendingReply<> again = askingCall(*f->asCarol, QStringLiteral("Control"), {QStringLiteral("steady"), QStringLiteral("restart")});
    QCOMPARE(errorOf(again), QLatin1String(errors::notAuthorized));
    QCOMPARE(agent.askedActions().size(), 2);
    QCOMPARE(f->find(QStringLiteral("steady"))->pid, pid);
}

void TestRefusals::oneAuthenticationOpensTheFilesItListed()
{
    // dave's session gets auth_admin: an administrator's password at every call.
    // His agent gives it (as root), and counts how often it is asked.
    const QString name = QStringLiteral("granted");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), name,
                                     foreground(QStringLiteral("echo first; exec sleep 100000"), QStringLiteral("tzalice")))),
             QString());
    const QString logDir = f->path(name + QStringLiteral("/log/main"));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(logDir + QStringLiteral("/current")).contains("first"), 15000);
    // An archive beside current: the logger rotates on ALRM.
    QCOMPARE(QProcess::execute(toolPath(QStringLiteral("svc")), {QStringLiteral("-a"), f->path(name + QStringLiteral("/log"))}), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!QDir(logDir).entryList({QStringLiteral("@*.s")}, QDir::Files).isEmpty(), 10000);

    TestAgent agent(TestAgent::Answer::Authenticate);
    QString why;
    QVERIFY2(agent.registerFor(f->harness.connectAs(0, 0, QStringLiteral("dave-agent")), &why), qPrintable(why));
    auto dave = f->proxyFor(f->dave.uid, f->dave.gid, QStringLiteral("dave"));
    const QString required = QLatin1String(errors::interactiveAuthorizationRequired);
    QCOMPARE(errorOf(dave->OpenLog(name, QStringLiteral("current"))), required);
    QVERIFY(agent.askedActions().isEmpty());

    const auto list = [&] {
        QDBusPendingReply<LogFileInfoList> files = askingCall(*dave, QStringLiteral("ListLogs"), {name});
        // The loop runs: the agent answers through it. Unfinished, the callers' checks fail.
        QTest::qWaitFor([&] { return files.isFinished(); }, 30000);
        return files;
    };
    QDBusPendingReply<LogFileInfoList> files = list();
    QVERIFY2(!files.isError(), qPrintable(files.error().message() + QLatin1Char(' ') + agent.failure()));
    QCOMPARE(agent.askedActions(), QStringList{QStringLiteral("org.tazuna.read-logs")});
    QCOMPARE(files.value().size(), 2);
    // Each listed file opens without a password more, and is the file on disk.
    for (const LogFileInfo &listed : files.value()) {
        QDBusPendingReply<QDBusUnixFileDescriptor> fd = dave->OpenLog(name, listed.name);
        QCOMPARE(errorOf(fd), QString());
        const QByteArray onDisk = readFile(logDir + QLatin1Char('/') + listed.name);
        QByteArray read(onDisk.size() + 1, '\0');
        read.resize(::pread(fd.value().fileDescriptor(), read.data(), static_cast<size_t>(read.size()), 0));
        QCOMPARE(read, onDisk);
    }
    QCOMPARE(agent.askedActions().size(), 1);
    // Polkit again for what the list did not name, for another connection of his,
    // and for a new list.
    QCOMPARE(errorOf(dave->OpenLog(name, QStringLiteral("@400000000000000000000000.s"))), required);
    QCOMPARE(errorOf(f->proxyFor(f->dave.uid, f->dave.gid, QStringLiteral("dave-too"))->OpenLog(name, QStringLiteral("current"))), required);
    QCOMPARE(errorOf(dave->ListLogs(name)), required);
    QCOMPARE(agent.askedActions().size(), 1);

    // A new directory under the name is not the one he was allowed to read. (Were
    // the grant to pass, the answer would be NoSuchLogFile: the new logger may not
    // have made current yet.)
    files = list();
    QCOMPARE(errorOf(files), QString());
    QCOMPARE(agent.askedActions().size(), 2);
    QDeadlineTimer granted(logGrantSeconds * 1000);
    QCOMPARE(errorOf(f->root->Remove(name, true)), QString());
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), name,
                                     foreground(QStringLiteral("echo second; exec sleep 100000"), QStringLiteral("tzalice")))),
             QString());
    QCOMPARE(errorOf(dave->OpenLog(name, QStringLiteral("current"))), required);
    QVERIFY2(!granted.hasExpired(), "the remove and create outlasted the grant: the check above proved nothing");

    // And a grant ends: current opens on it at first, and not once it has run out.
    QTRY_VERIFY_WITH_TIMEOUT(readFile(logDir + QStringLiteral("/current")).contains("second"), 15000);
    files = list();
    QCOMPARE(errorOf(files), QString());
    granted = QDeadlineTimer(logGrantSeconds * 1000);
    QCOMPARE(agent.askedActions().size(), 3);
    QCOMPARE(errorOf(dave->OpenLog(name, QStringLiteral("current"))), QString());
    QVERIFY(!granted.hasExpired());
    QTest::qWait(static_cast<int>(granted.remainingTime()) + 500);
    QCOMPARE(errorOf(dave->OpenLog(name, QStringLiteral("current"))), required);
    QCOMPARE(agent.askedActions().size(), 3);
    QVERIFY2(agent.failure().isEmpty(), qPrintable(agent.failure()));
    QCOMPARE(errorOf(f->root->Remove(name, true)), QString());
}

void TestRefusals::badNamesAreRefused()
{
    const QStringList before = snapshot(f->scanDir);
    const QString invalid = QLatin1String(errors::invalidName);
    const ParameterMap p = foreground(QStringLiteral("sleep 1"), QStringLiteral("tzalice"));
    for (const QString &name : badNames) {
        const QByteArray shown = name.left(20).toUtf8().toPercentEncoding();
        QVERIFY2(errorOf(f->root->GetService(name)) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->Control(name, QStringLiteral("stop"))) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->Create(QStringLiteral("foreground"), name, p)) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->Remove(name, true)) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->SetLogging(name, true)) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->ListLogs(name)) == invalid, shown.constData());
        QVERIFY2(errorOf(f->root->OpenLog(name, QStringLiteral("current"))) == invalid, shown.constData());
    }
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("absent"), QStringLiteral("stop"))), QLatin1String(errors::noSuchService));
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("absent"), true)), QLatin1String(errors::noSuchService));

    // What the helper creates is plain ASCII: no look-alikes of '/' (U+2215, fullwidth
    // ．／), no bidirectional or zero-width characters, no leading '-'.
    const QStringList spoofs = {QString::fromUtf8("..\u2215..\u2215tmp"), QString::fromUtf8("\uff0e\uff0e\uff0ftmp"),
                                QString::fromUtf8("abc\u202Etxt.exe"), QString::fromUtf8("we\u200Bb"), QStringLiteral("-x"),
                                QString::fromUtf8("caf\u00e9"), QStringLiteral("a b")};
    for (const QString &name : spoofs) {
        const QByteArray shown = name.toUtf8().toPercentEncoding();
        QDBusPendingReply<> created = f->root->Create(QStringLiteral("foreground"), name, p);
        created.waitForFinished();
        QVERIFY2(created.error().name() == invalid, shown.constData());
        QVERIFY2(created.error().message().startsWith(QLatin1String("name: ")), shown.constData());
        QVERIFY2(errorOf(f->root->Render(QStringLiteral("foreground"), name, p)) == invalid, shown.constData());
    }
    QCOMPARE(snapshot(f->scanDir), before);
    // Services made by hand keep any name svscan runs: the other calls take the
    // name and look for the service.
    const QString handMade = QString::fromUtf8("caf\u00e9");
    QCOMPARE(errorOf(f->root->GetService(handMade)), QLatin1String(errors::noSuchService));
    QCOMPARE(errorOf(f->root->Control(handMade, QStringLiteral("stop"))), QLatin1String(errors::noSuchService));
}

void TestRefusals::logPathsStayInsideTheLogDirectory()
{
    const QString none = QLatin1String(errors::noSuchLogFile);
    for (const char *file : {"../run", "../../.tazuna", "/etc/passwd", "current/../current", "", "state", "lock", "..", ".",
                             "@0000.s", "../main/current", "@400000000000000000000000.s/../../run"})
        QVERIFY2(errorOf(f->asAlice->OpenLog(QStringLiteral("steady"), QLatin1String(file))) == none, file);
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("steady"), QString(5000, QLatin1Char('a')))), none);
}

void TestRefusals::plantedSymlinksAreNotFollowed()
{
    // An archive name pointing out of the tree.
    const QString planted = f->path(QStringLiteral("steady/log/main/@400000000000000000000000.s"));
    QVERIFY(QFile::link(QStringLiteral("/etc/shadow"), planted));
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("steady"), QStringLiteral("@400000000000000000000000.s"))),
             QLatin1String(errors::noSuchLogFile));
    QDBusPendingReply<LogFileInfoList> list = f->asAlice->ListLogs(QStringLiteral("steady"));
    list.waitForFinished();
    for (const LogFileInfo &fi : list.value())
        QVERIFY(fi.name != QLatin1String("@400000000000000000000000.s"));
    QFile::remove(planted);

    // A whole log directory that is a symlink.
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("linked"),
                                     foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"), false))),
             QString());
    QDir(m_work.path()).mkpath(QStringLiteral("elsewhere"));
    writeFile(m_work.filePath(QStringLiteral("elsewhere/current")), "secret\n");
    QDir().mkpath(f->path(QStringLiteral("linked/log")));
    QVERIFY(QFile::link(m_work.filePath(QStringLiteral("elsewhere")), f->path(QStringLiteral("linked/log/main"))));
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("linked"), QStringLiteral("current"))), QLatin1String(errors::noSuchLogFile));
    QDBusPendingReply<LogFileInfoList> none = f->asAlice->ListLogs(QStringLiteral("linked"));
    none.waitForFinished();
    QVERIFY(none.value().isEmpty());
    // And log itself as a symlink.
    QDir(f->path(QStringLiteral("linked/log"))).removeRecursively();
    QVERIFY(QFile::link(m_work.path(), f->path(QStringLiteral("linked/log"))));
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("linked"), QStringLiteral("current"))), QLatin1String(errors::noSuchLogFile));
    QFile::remove(f->path(QStringLiteral("linked/log")));
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("linked"), true)), QString());
}

void TestRefusals::shellTextStaysText()
{
    // Every free-text part of a service: a folder name, an environment value and
    // the arguments. The service prints them back NUL-separated; the bytes must be
    // exactly what was sent, and nothing in them may have run.
    const QString text = evil(m_trace);
    const QString folder = m_work.filePath(QStringLiteral("dir ") + QString(text).remove(QLatin1Char('/')).remove(QLatin1Char('\n')));
    QVERIFY(QDir().mkpath(folder));
    ::chmod(QFile::encodeName(folder).constData(), 0777);
    const QString out = m_work.filePath(QStringLiteral("out"));
    const QString code = QStringLiteral("printf '%s\\0' \"$PWD\" \"$EVIL\" \"$@\" > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; exec sleep 100000");
    QJsonArray args{QStringLiteral("-c"), code, out, text, text + text};
    ParameterMap p{{QStringLiteral("command"), QStringLiteral("/bin/sh")},
                   {QStringLiteral("arguments"), QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))},
                   {QStringLiteral("environment"), QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("EVIL"), text}}).toJson(QJsonDocument::Compact))},
                   {QStringLiteral("directory"), folder},
                   {QStringLiteral("user"), QStringLiteral("tzalice")}};
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("literal"), p)), QString());
    QVERIFY(waitFor([&] { return QFileInfo::exists(out); }, 15000));
    const QByteArray expected = folder.toUtf8() + '\0' + text.toUtf8() + '\0' + text.toUtf8() + '\0' + (text + text).toUtf8() + '\0';
    QCOMPARE(readFile(out), expected);
    QVERIFY(!QFileInfo::exists(m_trace));
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("literal"), true)), QString());
}

void TestRefusals::everyTemplateParameterIsQuotedOrRefused()
{
    QDBusPendingReply<TemplateInfoList> r = f->root->ListTemplates();
    r.waitForFinished();
    const QString text = evil(m_trace);
    // Paths that exist and carry the same text, for folder and file parameters.
    const QString evilDir = m_work.filePath(QString(text).remove(QLatin1Char('/')));
    QVERIFY(QDir().mkpath(evilDir));
    const QString evilFile = evilDir + QStringLiteral("/script");
    writeFile(evilFile, "echo hi\n", 0755);
    const QString plainDir = m_work.filePath(QStringLiteral("plain"));
    QDir().mkpath(plainDir);
    writeFile(plainDir + QStringLiteral("/script.sh"), "echo hi\n", 0755);
    const QMap<QString, QString> valid = {
        {QStringLiteral("command"), QStringLiteral("/bin/true")},    {QStringLiteral("interpreter"), QStringLiteral("/bin/sh")},
        {QStringLiteral("script"), plainDir + QStringLiteral("/script.sh")}, {QStringLiteral("destination"), QStringLiteral("me@localhost")},
        {QStringLiteral("local-port"), QStringLiteral("10022")},      {QStringLiteral("target-port"), QStringLiteral("22")},
        {QStringLiteral("folder"), plainDir},
    };
    const QStringList named = {QLatin1String(errors::invalidParameter), QLatin1String(errors::noSuchUser),
                               QLatin1String(errors::notExecutable)};
    QTemporaryDir stubs;
    writeFile(stubs.filePath(QStringLiteral("setuidgid")),
              "#!/bin/sh\nshift\nprintf '%s\\0' \"$PWD\" \"$V\" \"$@\" > \"$TZ_SEEN\"\n", 0755);
    int accepted = 0;
    int refused = 0;
    for (const TemplateInfo &t : r.value()) {
        for (const TemplateParameter &param : t.parameters) {
            ParameterMap p{{QStringLiteral("start"), QStringLiteral("false")}, {QStringLiteral("user"), QStringLiteral("tzalice")}};
            for (const TemplateParameter &other : t.parameters)
                if (other.required && valid.contains(other.key))
                    p.insert(other.key, valid.value(other.key));
            QString value = text;
            if (param.type == QLatin1String("directory"))
                value = evilDir;
            else if (param.type == QLatin1String("file"))
                value = evilFile;
            else if (param.type == QLatin1String("args"))
                value = QString::fromUtf8(QJsonDocument(QJsonArray{text, text}).toJson(QJsonDocument::Compact));
            else if (param.type == QLatin1String("env"))
                value = QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("V"), text}}).toJson(QJsonDocument::Compact));
            p.insert(param.key, value);
            const QStringList before = snapshot(f->scanDir);
            const QString err = errorOf(f->root->Create(t.id, QStringLiteral("probe"), p));
            const QByteArray where = (t.id + QLatin1Char('/') + param.key + QLatin1Char(' ') + err).toUtf8();
            if (!err.isEmpty()) {
                QVERIFY2(named.contains(err), where.constData());
                QVERIFY2(snapshot(f->scanDir) == before, where.constData());
                ++refused;
                continue;
            }
            ++accepted;
            // Accepted text must reach the program as it was sent: run the rendered
            // script with a stand-in setuidgid first on PATH that writes down its
            // working directory, the variable V and its arguments.
            const QString script = f->path(QStringLiteral("probe/run"));
            const QString seen = m_work.filePath(QStringLiteral("seen"));
            QFile::remove(seen);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PATH"), stubs.path() + QStringLiteral(":/usr/bin:/bin"));
            env.insert(QStringLiteral("TZ_SEEN"), seen);
            RunOptions o;
            o.environment = env;
            o.workingDirectory = f->path(QStringLiteral("probe"));
            const ProcessResult ran = tz::test::run(QStringLiteral("/bin/sh"), {script}, o);
            QVERIFY2(ran.exitCode == 0, (where + ' ' + ran.out).constData());
            const QList<QByteArray> words = readFile(seen).split('\0');
            // setuidgid runs as root: no variable of the caller may reach it.
            QVERIFY2(words.value(1).isEmpty(), where.constData());
            const QByteArray wanted = value.startsWith(QLatin1Char('[')) || value.startsWith(QLatin1Char('{')) ? text.toUtf8() : value.toUtf8();
            bool found = false;
            for (const QByteArray &w : words)
                found = found || w.contains(wanted);
            QVERIFY2(found, where.constData());
            QCOMPARE(errorOf(f->root->Remove(QStringLiteral("probe"), true)), QString());
        }
    }
    QVERIFY(accepted >= 5);
    QVERIFY(refused >= 10);
    QVERIFY(!QFileInfo::exists(m_trace));
}

void TestRefusals::badTemplatesAndParameterMaps()
{
    const QStringList before = snapshot(f->scanDir);
    const ParameterMap ok = foreground(QStringLiteral("sleep 1"), QStringLiteral("tzalice"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("no-such-template"), QStringLiteral("x"), ok)), QLatin1String(errors::unknownTemplate));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("../foreground"), QStringLiteral("x"), ok)), QLatin1String(errors::unknownTemplate));
    ParameterMap many = ok;
    for (int i = 0; i < 100; ++i)
        many.insert(QStringLiteral("k%1").arg(i), QStringLiteral("v"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), many)), QLatin1String(errors::invalidParameter));
    ParameterMap huge = ok;
    huge.insert(QStringLiteral("arguments"), QStringLiteral("[\"%1\"]").arg(QString(20000, QLatin1Char('a'))));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), huge)), QLatin1String(errors::invalidParameter));
    ParameterMap unknown = ok;
    unknown.insert(QStringLiteral("run-as-root-please"), QStringLiteral("1"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), unknown)), QLatin1String(errors::invalidParameter));
    QJsonArray longList;
    for (int i = 0; i < 300; ++i)
        longList.append(QStringLiteral("a"));
    ParameterMap longArgs = ok;
    longArgs.insert(QStringLiteral("arguments"), QString::fromUtf8(QJsonDocument(longList).toJson(QJsonDocument::Compact)));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), longArgs)), QLatin1String(errors::invalidParameter));
    ParameterMap nobody = ok;
    nobody.insert(QStringLiteral("user"), QStringLiteral("nosuchuserhere"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), nobody)), QLatin1String(errors::noSuchUser));
    ParameterMap notExec = ok;
    notExec.insert(QStringLiteral("command"), QStringLiteral("/etc/passwd"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), notExec)), QLatin1String(errors::notExecutable));
    // Executable for root only: not for the user it would run as.
    writeFile(m_work.filePath(QStringLiteral("rootonly")), "#!/bin/sh\n", 0700);
    notExec.insert(QStringLiteral("command"), m_work.filePath(QStringLiteral("rootonly")));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), notExec)), QLatin1String(errors::notExecutable));
    ParameterMap limits = ok;
    limits.insert(QStringLiteral("log-size"), QStringLiteral("100"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("x"), limits)), QLatin1String(errors::invalidParameter));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("steady"), ok)), QLatin1String(errors::alreadyExists));
    QCOMPARE(snapshot(f->scanDir), before);
}

void TestRefusals::busPolicyKeepsTheNameForRoot()
{
    QDBusConnection bob = f->harness.connectAs(f->bob.uid, f->bob.gid, QStringLiteral("bob-owner"));
    const auto reply = bob.interface()->registerService(QStringLiteral("org.tazuna.Helper1"));
    QVERIFY(!reply.isValid() || reply.value() != QDBusConnectionInterface::ServiceRegistered);
    QCOMPARE(reply.error().type(), QDBusError::AccessDenied);
    // A separate process as bob, through the bus policy: calls reach the helper,
    // polkit answers.
    int code = -1;
    const QByteArray out = f->harness.runAs(QStringLiteral("tzbob"),
                                            {QStringLiteral("gdbus"), QStringLiteral("call"), QStringLiteral("--system"),
                                             QStringLiteral("--dest"), QStringLiteral("org.tazuna.Helper1"), QStringLiteral("--object-path"),
                                             QStringLiteral("/org/tazuna/Helper1"), QStringLiteral("--method"),
                                             QStringLiteral("org.tazuna.Helper1.Control"), QStringLiteral("steady"), QStringLiteral("stop")},
                                            &code);
    QVERIFY2(out.contains("org.tazuna.Helper1.Error.NotAuthorized"), out.constData());
}

QTEST_GUILESS_MAIN(TestRefusals)
#include "test_refusals.moc"
