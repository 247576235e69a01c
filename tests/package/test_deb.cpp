// SPDX-License-Identifier: MIT
// The .deb from this build: its control fields and files, lintian, and the helper started by D-Bus activation from the unpacked files.
#include "dbusharness.h"
#include "debpath.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>

using namespace tz::test;

namespace {

// The field of a control file, continuation lines included.
QString controlField(const QByteArray &control, const QString &name)
{
    const QRegularExpression re(QStringLiteral("^%1: (.*(?:\\n .*)*)$").arg(name), QRegularExpression::MultilineOption);
    return re.match(QString::fromUtf8(control)).captured(1);
}

QString q(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

} // namespace

class TestDeb : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void controlFields();
    void fileList();
    void metadataValidates();
    void lintian();
    void activationFromInstalledFiles();
    void cleanupTestCase();

private:
    QString m_deb;
    QTemporaryDir m_root;
    // The activation run: a bus and a polkitd in mount namespaces that see the
    // unpacked package over /usr and a test /etc over /etc.
    QTemporaryDir m_run;
    QProcess m_bus;
    QProcess m_polkit;
    QString m_address;
    QString m_scan;
    qint64 m_helperPid = 0;
    QByteArray busCall(const QString &user, const QStringList &args, int *exitCode = nullptr);
    void stopAll();
};

void TestDeb::initTestCase()
{
    m_deb = debPath();
    QVERIFY2(!m_deb.isEmpty(), "no single tazuna_*.deb in TAZUNA_DEB_DIR (the package.build fixture makes it)");
    QVERIFY(m_root.isValid());
    const ProcessResult x = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root.path()});
    QVERIFY2(x.exitCode == 0, x.err.constData());
}

void TestDeb::controlFields()
{
    const ProcessResult info = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb});
    QCOMPARE(info.exitCode, 0);
    QCOMPARE(controlField(info.out, QStringLiteral("Package")), QStringLiteral("tazuna"));
    QCOMPARE(controlField(info.out, QStringLiteral("Version")), QStringLiteral(TAZUNA_VERSION));
    QCOMPARE(controlField(info.out, QStringLiteral("Architecture")), q(run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")}).out.trimmed()));
    QVERIFY(!controlField(info.out, QStringLiteral("Maintainer")).isEmpty());
    QVERIFY(!controlField(info.out, QStringLiteral("Description")).isEmpty());

    // What the programs link (found by dpkg-shlibdeps) and what Qt and the helper
    // need at run time without linking it.
    const QStringList depends = controlField(info.out, QStringLiteral("Depends")).split(QStringLiteral(", "));
    for (const QString &wanted : {QStringLiteral("libqt6core6"), QStringLiteral("libqt6dbus6"), QStringLiteral("libqt6gui6"),
                                  QStringLiteral("libqt6widgets6"), QStringLiteral("libc6"), QStringLiteral("libstdc++6"),
                                  QStringLiteral("polkitd"), QStringLiteral("qt6-qpa-plugins"), QStringLiteral("libqt6svg6")}) {
        const bool found = std::any_of(depends.begin(), depends.end(), [&](const QString &d) {
            return d == wanted || d.startsWith(wanted + QLatin1Char(' '));
        });
        QVERIFY2(found, qPrintable(wanted + QStringLiteral(" missing from Depends: ") + depends.join(QStringLiteral(", "))));
    }
    QVERIFY(depends.contains(QStringLiteral("default-dbus-system-bus | dbus-system-bus")));

    // Maintainer scripts: present, executable, and valid shell.
    QTemporaryDir control;
    QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-e"), m_deb, control.path()}).exitCode, 0);
    for (const QString &script : {QStringLiteral("postinst"), QStringLiteral("prerm"), QStringLiteral("postrm")}) {
        const QFileInfo fi(control.filePath(script));
        QVERIFY2(fi.isExecutable(), qPrintable(script));
        QCOMPARE(run(QStringLiteral("sh"), {QStringLiteral("-n"), fi.filePath()}).exitCode, 0);
    }
    // Nothing starts a service at install time: only reloads, try-restart and stop.
    const QByteArray postinst = readFile(control.filePath(QStringLiteral("postinst")));
    QVERIFY(!postinst.contains("systemctl start") && !postinst.contains("systemctl enable") && !postinst.contains("invoke start"));
}

void TestDeb::fileList()
{
    const ProcessResult list = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), m_deb});
    QCOMPARE(list.exitCode, 0);
    QStringList files;
    for (const QByteArray &line : list.out.split('\n')) {
        const QList<QByteArray> cols = line.simplified().split(' ');
        if (cols.size() >= 6 && !cols.at(5).endsWith('/'))
            files << q(cols.at(5)).mid(1); // "./usr/…" -> "/usr/…"
    }
    QStringList expected = {
        QStringLiteral("/usr/bin/tazuna"),
        QStringLiteral("/usr/libexec/tazuna/tazuna-helper"),
        QStringLiteral("/usr/libexec/tazuna/share"),
        QStringLiteral("/usr/lib/systemd/system/tazuna-helper.service"),
        QStringLiteral("/usr/share/dbus-1/system.d/org.tazuna.Helper1.conf"),
        QStringLiteral("/usr/share/dbus-1/system-services/org.tazuna.Helper1.service"),
        QStringLiteral("/usr/share/dbus-1/interfaces/org.tazuna.Helper1.xml"),
        QStringLiteral("/usr/share/polkit-1/actions/org.tazuna.policy"),
        QStringLiteral("/usr/share/applications/tazuna.desktop"),
        QStringLiteral("/usr/share/tazuna/autostart/tazuna.desktop"),
        QStringLiteral("/usr/share/metainfo/org.tazuna.Tazuna.metainfo.xml"),
        QStringLiteral("/usr/share/icons/hicolor/scalable/apps/tazuna.svg"),
        QStringLiteral("/usr/share/icons/hicolor/symbolic/apps/tazuna-symbolic.svg"),
        QStringLiteral("/usr/share/icons/hicolor/scalable/status/tazuna-ok.svg"),
        QStringLiteral("/usr/share/icons/hicolor/scalable/status/tazuna-down.svg"),
        QStringLiteral("/usr/share/icons/hicolor/scalable/status/tazuna-crashloop.svg"),
        QStringLiteral("/usr/share/man/man1/tazuna.1.gz"),
        QStringLiteral("/usr/share/man/man8/tazuna-helper.8.gz"),
        QStringLiteral("/usr/share/doc/tazuna/copyright"),
        QStringLiteral("/usr/share/doc/tazuna/changelog.gz"),
    };
    const QStringList tools = {QStringLiteral("svscan"), QStringLiteral("svscanboot"), QStringLiteral("supervise"), QStringLiteral("svc"),
                               QStringLiteral("svstat"), QStringLiteral("svok"), QStringLiteral("multilog"), QStringLiteral("tai64n"),
                               QStringLiteral("tai64nlocal"), QStringLiteral("setuidgid"), QStringLiteral("envuidgid"), QStringLiteral("envdir"),
                               QStringLiteral("softlimit"), QStringLiteral("setlock"), QStringLiteral("fghack"), QStringLiteral("pgrphack"),
                               QStringLiteral("readproctitle")};
    for (const QString &tool : tools) {
        expected << QStringLiteral("/usr/libexec/tazuna/bin/") + tool << QStringLiteral("/usr/share/tazuna/man/man1/%1.1.gz").arg(tool);
    }
    for (const QString &f : expected)
        QVERIFY2(files.contains(f), qPrintable(f + QStringLiteral(" is not in the package")));
    // Never a file that Debian's daemontools package owns, nor anything of the build tree.
    for (const QString &f : files) {
        QVERIFY2(!f.startsWith(QStringLiteral("/usr/bin/")) || f == QStringLiteral("/usr/bin/tazuna"), qPrintable(f));
        QVERIFY2(!f.startsWith(QStringLiteral("/usr/share/man/man8/")) || f.contains(QStringLiteral("tazuna")), qPrintable(f));
        QVERIFY2(!f.contains(QStringLiteral("test")) || f.contains(QStringLiteral("templates")), qPrintable(f));
    }

    // The activation file execs the installed helper; the unit is the one it names.
    const QByteArray activation = readFile(m_root.filePath(QStringLiteral("usr/share/dbus-1/system-services/org.tazuna.Helper1.service")));
    QVERIFY(activation.contains("Exec=/usr/libexec/tazuna/tazuna-helper\n"));
    QVERIFY(activation.contains("SystemdService=tazuna-helper.service"));
    const QByteArray unit = readFile(m_root.filePath(QStringLiteral("usr/lib/systemd/system/tazuna-helper.service")));
    QVERIFY(unit.contains("ExecStart=/usr/libexec/tazuna/tazuna-helper\n"));
    QVERIFY(unit.contains("Documentation=file:///usr/share/doc/tazuna/helper-README.md"));
    QVERIFY(QFileInfo::exists(m_root.filePath(QStringLiteral("usr/share/doc/tazuna/helper-README.md"))));

    // man-db finds the programs' pages through PATH: <dir>/../share/man.
    QVERIFY(QFileInfo::exists(m_root.filePath(QStringLiteral("usr/libexec/tazuna/bin/../share/man/man1/svc.1.gz"))));
}

void TestDeb::metadataValidates()
{
    const QString metainfo = m_root.filePath(QStringLiteral("usr/share/metainfo/org.tazuna.Tazuna.metainfo.xml"));
    const ProcessResult as = run(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
    QVERIFY2(as.exitCode == 0, (as.out + as.err).constData());

    const ProcessResult desk = run(QStringLiteral("desktop-file-validate"),
                                   {m_root.filePath(QStringLiteral("usr/share/applications/tazuna.desktop")),
                                    m_root.filePath(QStringLiteral("usr/share/tazuna/autostart/tazuna.desktop"))});
    QVERIFY2(desk.exitCode == 0 && desk.out.isEmpty(), (desk.out + desk.err).constData());
    // The menu entry and the autostart entry speak English and Japanese.
    const QByteArray entry = readFile(m_root.filePath(QStringLiteral("usr/share/applications/tazuna.desktop")));
    QVERIFY(entry.contains("\nName=") && entry.contains("\nName[ja]=") && entry.contains("\nComment=") && entry.contains("\nComment[ja]="));
    const QByteArray autostart = readFile(m_root.filePath(QStringLiteral("usr/share/tazuna/autostart/tazuna.desktop")));
    QVERIFY(autostart.contains("\nExec=tazuna --tray\n"));

    // Every manual page formats without warnings.
    QDirIterator it(m_root.path(), {QStringLiteral("*.1.gz"), QStringLiteral("*.8.gz")}, QDir::Files, QDirIterator::Subdirectories);
    int pages = 0;
    while (it.hasNext()) {
        const QString page = it.next();
        ++pages;
        const ProcessResult lint = run(QStringLiteral("mandoc"), {QStringLiteral("-Tlint"), QStringLiteral("-W"), QStringLiteral("warning"), page});
        QVERIFY2(lint.exitCode == 0 && lint.out.isEmpty(), qPrintable(page + QLatin1Char(' ') + q(lint.out + lint.err)));
        RunOptions env;
        env.environment.insert(QStringLiteral("MANWIDTH"), QStringLiteral("80"));
        const ProcessResult man = run(QStringLiteral("man"), {QStringLiteral("-l"), page}, env);
        QVERIFY2(man.exitCode == 0 && man.out.contains("NAME") && man.err.isEmpty(), qPrintable(page + QLatin1Char(' ') + q(man.err)));
    }
    QCOMPARE(pages, 19);
}

void TestDeb::lintian()
{
    RunOptions options;
    options.timeoutMs = 120000;
    const ProcessResult lint = run(QStringLiteral("lintian"), {QStringLiteral("--tag-display-limit"), QStringLiteral("0"), m_deb}, options);
    // Reported in full, so that the findings show in the CI log.
    qInfo("lintian:\n%s%s", lint.out.constData(), lint.err.constData());
    QVERIFY2(lint.exitCode == 0 || lint.exitCode == 1 || lint.exitCode == 2, "lintian did not run");
    // supervise and multilog are linked statically on purpose (memory per service,
    // see shared/tools/CMakeLists.txt); any other error fails.
    for (const QByteArray &line : lint.out.split('\n')) {
        if (line.startsWith("E: ") && !line.contains("statically-linked-binary"))
            QFAIL(line.constData());
    }
}

QByteArray TestDeb::busCall(const QString &user, const QStringList &args, int *exitCode)
{
    QStringList command = {QStringLiteral("-u"), user, QStringLiteral("--"), QStringLiteral("env"),
                           QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS=") + m_address, QStringLiteral("gdbus"), QStringLiteral("call"),
                           QStringLiteral("--system")};
    command << args;
    const ProcessResult r = run(QStringLiteral("runuser"), command);
    if (exitCode)
        *exitCode = r.exitCode;
    return r.out + r.err;
}

void TestDeb::activationFromInstalledFiles()
{
    QVERIFY(m_run.isValid());
    ::chmod(QFile::encodeName(m_run.path()).constData(), 0755);
    const TestUser alice = ensureUser(QStringLiteral("tzalice"));
    const TestUser bob = ensureUser(QStringLiteral("tzbob"));
    Q_UNUSED(bob);
    const QString root = m_root.path();
    const QString runDir = m_run.path();

    // The /etc the helper and polkitd see: the helper's config file on the test's
    // scan directory, and one rule that lets tzalice control services.
    m_scan = runDir + QStringLiteral("/service");
    QVERIFY(QDir().mkpath(m_scan + QStringLiteral("/idle")));
    writeFile(m_scan + QStringLiteral("/idle/run"), "#!/bin/sh\nexec sleep 100000\n", 0755);
    writeFile(m_scan + QStringLiteral("/idle/down"), "");
    QVERIFY(QDir().mkpath(runDir + QStringLiteral("/etc/tazuna")));
    QVERIFY(QDir().mkpath(runDir + QStringLiteral("/etc/polkit-1/rules.d")));
    writeFile(runDir + QStringLiteral("/etc/tazuna/helper.conf"), "# written by tests/package\nscan-dir = " + m_scan.toUtf8() + "\n");
    writeFile(runDir + QStringLiteral("/etc/polkit-1/rules.d/10-tazuna-package-test.rules"),
              "polkit.addRule(function(action, subject) {\n"
              "    if (action.id.indexOf(\"org.tazuna.\") == 0 && subject.user == \"tzalice\")\n"
              "        return polkit.Result.YES;\n"
              "    if (action.id.indexOf(\"org.tazuna.\") == 0)\n"
              "        return polkit.Result.NO;\n"
              "});\n");

    // The bus: the package's policy file and activation folder, and no service
    // helper, so dbus-daemon execs the activation file's Exec= itself.
    const QString socket = runDir + QStringLiteral("/system_bus_socket");
    writeFile(runDir + QStringLiteral("/bus.conf"),
              "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
              "<busconfig><type>system</type><auth>EXTERNAL</auth>\n"
              "<listen>unix:path=" + socket.toUtf8() + "</listen>\n"
              "<servicedir>" + root.toUtf8() + "/usr/share/dbus-1/system-services</servicedir>\n"
              "<policy context=\"default\"><allow user=\"*\"/><deny own=\"*\"/><deny send_type=\"method_call\"/>\n"
              "<allow send_type=\"signal\"/><allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
              "<allow send_requested_reply=\"true\" send_type=\"error\"/><allow receive_type=\"method_call\"/>\n"
              "<allow receive_type=\"method_return\"/><allow receive_type=\"error\"/><allow receive_type=\"signal\"/>\n"
              "<allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus\"/>\n"
              "<allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus.Introspectable\"/>\n"
              "<allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus.Properties\"/></policy>\n"
              "<include>/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>\n"
              "<include>" + root.toUtf8() + "/usr/share/dbus-1/system.d/org.tazuna.Helper1.conf</include>\n"
              "</busconfig>\n");

    // In a mount namespace of its own, each daemon sees the package over /usr and
    // the test's files over /etc; the machine's /usr and /etc are not changed.
    const QString mounts = QStringLiteral(
        "mount -t overlay overlay -o lowerdir=\"$1/usr\":/usr /usr && "
        "mount -t overlay overlay -o lowerdir=\"$2/etc\":/etc /etc && shift 2 && exec \"$@\"");
    const QStringList unshare = {QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"),
                                 QStringLiteral("sh"), QStringLiteral("-c"), mounts, QStringLiteral("sh"), root, runDir};
    m_bus.setProgram(QStringLiteral("unshare"));
    m_bus.setArguments(unshare + QStringList{QStringLiteral("dbus-daemon"), QStringLiteral("--config-file=") + runDir + QStringLiteral("/bus.conf"),
                                             QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    m_bus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_bus.start();
    QVERIFY(m_bus.waitForStarted());
    QVERIFY2(waitFor([&] { return m_bus.canReadLine() || m_bus.state() != QProcess::Running; }, 10000), "the bus did not start");
    m_address = q(m_bus.readLine().trimmed());
    QVERIFY2(m_address.startsWith(QStringLiteral("unix:")), "the bus did not print its address");

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), m_address);
    auto hasOwner = [&](const QString &name) {
        RunOptions o;
        o.environment = env;
        return run(QStringLiteral("gdbus"), {QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"), QStringLiteral("org.freedesktop.DBus"),
                                             QStringLiteral("--object-path"), QStringLiteral("/"), QStringLiteral("--method"),
                                             QStringLiteral("org.freedesktop.DBus.NameHasOwner"), name}, o).out.contains("true");
    };
    m_polkit.setProgram(QStringLiteral("unshare"));
    m_polkit.setArguments(unshare + QStringList{QStringLiteral("/usr/lib/polkit-1/polkitd")});
    m_polkit.setProcessEnvironment(env);
    m_polkit.setProcessChannelMode(QProcess::MergedChannels);
    // As in DbusHarness::startPolkit: a polkitd that stalls while loading (seen once
    // under a loaded CI run) is replaced rather than failing the test.
    bool polkitUp = false;
    for (int attempt = 1; attempt <= 3 && !polkitUp; ++attempt) {
        m_polkit.start();
        QVERIFY(m_polkit.waitForStarted());
        polkitUp = waitFor([&] { return hasOwner(QStringLiteral("org.freedesktop.PolicyKit1")); }, 10000);
        if (!polkitUp) {
            qWarning("polkitd (attempt %d) did not take its name within 10 s: %s", attempt, m_polkit.readAll().constData());
            m_polkit.kill();
            m_polkit.waitForFinished(5000);
        }
    }
    QVERIFY(polkitUp);

    // Nobody has started the helper: the first call starts it by activation.
    QVERIFY(!hasOwner(QStringLiteral("org.tazuna.Helper1")));
    int code = -1;
    const QStringList helper = {QStringLiteral("--dest"), QStringLiteral("org.tazuna.Helper1"), QStringLiteral("--object-path"),
                                QStringLiteral("/org/tazuna/Helper1"), QStringLiteral("--timeout"), QStringLiteral("20"), QStringLiteral("--method")};
    const QByteArray listed = busCall(alice.name, helper + QStringList{QStringLiteral("org.tazuna.Helper1.ListServices")}, &code);
    QVERIFY2(code == 0, listed.constData());
    QVERIFY2(listed.contains("'idle'"), listed.constData());
    QVERIFY(hasOwner(QStringLiteral("org.tazuna.Helper1")));
    {
        RunOptions o;
        o.environment = env;
        const ProcessResult pid = run(QStringLiteral("gdbus"), {QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"),
                                                                QStringLiteral("org.freedesktop.DBus"), QStringLiteral("--object-path"), QStringLiteral("/"),
                                                                QStringLiteral("--method"), QStringLiteral("org.freedesktop.DBus.GetConnectionUnixProcessID"),
                                                                QStringLiteral("org.tazuna.Helper1")}, o);
        // "(uint32 1234,)"
        m_helperPid = QRegularExpression(QStringLiteral("uint32 (\\d+)")).match(q(pid.out)).captured(1).toLongLong();
        QVERIFY(m_helperPid > 1);
        // It is the package's helper, running from the unpacked tree.
        const QString exe = QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(m_helperPid));
        QCOMPARE(exe, QStringLiteral("/usr/libexec/tazuna/tazuna-helper"));
    }

    // An unprivileged user starts the normally-down service through polkit, with the
    // actions of the installed .policy; the package's own svstat sees it run.
    const QByteArray started = busCall(alice.name, helper + QStringList{QStringLiteral("org.tazuna.Helper1.Control"), QStringLiteral("idle"), QStringLiteral("start")}, &code);
    QVERIFY2(code == 0, started.constData());
    const QString svstat = root + QStringLiteral("/usr/libexec/tazuna/bin/svstat");
    QVERIFY2(waitFor([&] { return run(svstat, {m_scan + QStringLiteral("/idle")}).out.contains(": up (pid "); }, 10000),
             run(svstat, {m_scan + QStringLiteral("/idle")}).out.constData());
    // Another user, whom the rule refuses, is told so by name.
    const QByteArray refused = busCall(bob.name, helper + QStringList{QStringLiteral("org.tazuna.Helper1.Control"), QStringLiteral("idle"), QStringLiteral("stop")}, &code);
    QVERIFY(code != 0);
    QVERIFY2(refused.contains("org.tazuna.Helper1.Error."), refused.constData());
    QVERIFY(run(svstat, {m_scan + QStringLiteral("/idle")}).out.contains(": up (pid "));
    // svscan runs the tree with the package's tools.
    const QByteArray pidFile = readFile(m_scan + QStringLiteral("/.tazuna-svscan.pid"));
    const QString scanExe = QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(q(pidFile.split(' ').value(0)).toInt()));
    QCOMPARE(scanExe, QStringLiteral("/usr/libexec/tazuna/bin/svscan"));
}

void TestDeb::stopAll()
{
    // The activated helper is the bus's child; it goes first, or it would start
    // svscan again as soon as svscan is stopped.
    QList<pid_t> helpers;
    if (m_helperPid > 1)
        helpers << static_cast<pid_t>(m_helperPid);
    if (m_bus.state() == QProcess::Running) {
        const QByteArray busPid = QByteArray::number(m_bus.processId());
        for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            const QByteArray stat = readFile(QStringLiteral("/proc/") + entry + QStringLiteral("/stat"));
            const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 1 && fields.at(1) == busPid)
                helpers << static_cast<pid_t>(entry.toInt());
        }
    }
    for (const pid_t pid : helpers)
        ::kill(pid, SIGTERM);
    for (const pid_t pid : helpers) {
        waitFor([&] {
            const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
            return stat.isEmpty() || stat.contains(") Z ");
        }, 10000);
    }
    m_helperPid = 0;
    if (!m_scan.isEmpty())
        tz::test::DbusHarness::stopTree(m_scan);
    for (QProcess *p : {&m_polkit, &m_bus}) {
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(5000)) {
                p->kill();
                p->waitForFinished(5000);
            }
        }
    }
}

void TestDeb::cleanupTestCase()
{
    stopAll();
}

QTEST_GUILESS_MAIN(TestDeb)
#include "test_deb.moc"
