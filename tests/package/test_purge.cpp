// SPDX-License-Identifier: MIT
// Installs the .deb with dpkg into a throw-away root, then removes and purges it: nothing of it is left, and nothing of the user's is gone.
#include "debpath.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace tz::test;

namespace {

// Every path under root, except dpkg's own database.
QSet<QString> tree(const QString &root)
{
    QSet<QString> paths;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next().mid(root.size());
        if (!p.startsWith(QStringLiteral("/var/lib/dpkg")))
            paths.insert(p);
    }
    return paths;
}

} // namespace

class TestPurge : public QObject {
    Q_OBJECT

private slots:
    void installRemovePurge();

private:
    ProcessResult dpkg(const QString &root, const QStringList &args);
};

ProcessResult TestPurge::dpkg(const QString &root, const QStringList &args)
{
    // Maintainer scripts run outside the root with DPKG_ROOT set (there is no shell in
    // it); ours then leave this machine's bus and systemd alone. Dependencies are not
    // in the empty root, so they are not checked here (package.deb checks the fields).
    RunOptions options;
    options.timeoutMs = 60000;
    return run(QStringLiteral("dpkg"), QStringList{QStringLiteral("--root=") + root, QStringLiteral("--force-script-chrootless"),
                                                   QStringLiteral("--force-depends"), QStringLiteral("--force-not-root")} + args, options);
}

void TestPurge::installRemovePurge()
{
    const QString deb = debPath();
    QVERIFY2(!deb.isEmpty(), "no single tazuna_*.deb in TAZUNA_DEB_DIR (the package.build fixture makes it)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    for (const char *d : {"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc"})
        QVERIFY(QDir(root).mkpath(QString::fromLatin1(d)));
    writeFile(root + QStringLiteral("/var/lib/dpkg/status"), "");
    writeFile(root + QStringLiteral("/var/lib/dpkg/available"), "");

    // What the user and the administrator made: a service with its logs, and the
    // helper's config file. The package never owned them; purge must keep them.
    QVERIFY(QDir(root).mkpath(QStringLiteral("service/web/log/main")));
    writeFile(root + QStringLiteral("/service/web/run"), "#!/bin/sh\nexec sleep 1000\n", 0755);
    writeFile(root + QStringLiteral("/service/web/log/main/current"), "@4000000069000000000000 hello\n");
    QVERIFY(QDir(root).mkpath(QStringLiteral("etc/tazuna")));
    writeFile(root + QStringLiteral("/etc/tazuna/helper.conf"), "scan-dir = /service\n");
    const QSet<QString> before = tree(root);

    const ProcessResult install = dpkg(root, {QStringLiteral("-i"), deb});
    QVERIFY2(install.exitCode == 0, (install.out + install.err).constData());
    const ProcessResult status = run(QStringLiteral("dpkg-query"), {QStringLiteral("--root=") + root, QStringLiteral("-W"),
                                                                    QStringLiteral("-f=${Status} ${Version}"), QStringLiteral("tazuna")});
    QVERIFY2(status.out.startsWith("install ok installed "), status.out.constData());
    const QSet<QString> installed = tree(root);
    for (const char *f : {"/usr/bin/tazuna", "/usr/libexec/tazuna/tazuna-helper", "/usr/libexec/tazuna/bin/svscan",
                          "/usr/share/dbus-1/system.d/org.tazuna.Helper1.conf", "/usr/share/polkit-1/actions/org.tazuna.policy",
                          "/usr/share/dbus-1/system-services/org.tazuna.Helper1.service"})
        QVERIFY2(installed.contains(QString::fromLatin1(f)), f);
    // dpkg's file list is exactly what appeared.
    const ProcessResult listed = run(QStringLiteral("dpkg-query"), {QStringLiteral("--root=") + root, QStringLiteral("-L"), QStringLiteral("tazuna")});
    QCOMPARE(listed.exitCode, 0);
    QSet<QString> owned;
    for (const QByteArray &line : listed.out.split('\n'))
        if (line.startsWith('/') && line != "/.")
            owned.insert(QString::fromUtf8(line));
    for (const QString &p : installed - before)
        QVERIFY2(owned.contains(p), qPrintable(p + QStringLiteral(" appeared but dpkg does not know it")));

    const ProcessResult remove = dpkg(root, {QStringLiteral("--remove"), QStringLiteral("tazuna")});
    QVERIFY2(remove.exitCode == 0, (remove.out + remove.err).constData());
    const QSet<QString> removed = tree(root);
    QVERIFY(!removed.contains(QStringLiteral("/usr/libexec/tazuna/tazuna-helper")));

    const ProcessResult purge = dpkg(root, {QStringLiteral("--purge"), QStringLiteral("tazuna")});
    QVERIFY2(purge.exitCode == 0, (purge.out + purge.err).constData());
    const QSet<QString> after = tree(root);
    QStringList added(QList<QString>((after - before).begin(), (after - before).end()));
    QStringList lost(QList<QString>((before - after).begin(), (before - after).end()));
    QVERIFY2(added.isEmpty(), qPrintable(QStringLiteral("left behind: ") + added.join(QLatin1Char(' '))));
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("gone: ") + lost.join(QLatin1Char(' '))));
    QCOMPARE(readFile(root + QStringLiteral("/service/web/log/main/current")), QByteArray("@4000000069000000000000 hello\n"));
    // dpkg forgets it entirely.
    const ProcessResult gone = run(QStringLiteral("dpkg-query"), {QStringLiteral("--root=") + root, QStringLiteral("-W"), QStringLiteral("tazuna")});
    QVERIFY(gone.exitCode != 0);
    QVERIFY(QDir(root + QStringLiteral("/var/lib/dpkg/info")).entryList({QStringLiteral("tazuna.*")}, QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestPurge)
#include "test_purge.moc"
