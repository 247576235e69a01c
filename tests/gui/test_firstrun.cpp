// SPDX-License-Identifier: MIT
// First run: the window says what to do when the helper is not installed or not running, and
// explains the scan directory while it holds no service. Each case on its own private bus.
#include "helperclient.h"
#include "mainwindow.h"
#include "servicemodel.h"
#include "testsupport.h"

#include <QDBusConnection>
#include <QDBusMetaType>
#include <QDir>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tz;

namespace {

// A bus that can start services from the .service files in DIR/services, like the system bus
// does for an installed package.
struct PrivateBus {
    QTemporaryDir dir;
    QProcess daemon;
    QString address;

    bool start()
    {
        if (!dir.isValid() || !QDir().mkpath(dir.filePath(QStringLiteral("services"))))
            return false;
        const QString config = dir.filePath(QStringLiteral("bus.conf"));
        const QByteArray text = "<busconfig>\n"
                                "  <type>session</type>\n"
                                "  <listen>unix:path=DIR/socket</listen>\n"
                                "  <auth>EXTERNAL</auth>\n"
                                "  <servicedir>DIR/services</servicedir>\n"
                                "  <policy context=\"default\">\n"
                                "    <allow send_destination=\"*\"/>\n"
                                "    <allow receive_sender=\"*\"/>\n"
                                "    <allow own=\"*\"/>\n"
                                "  </policy>\n"
                                "</busconfig>\n";
        tz::test::writeFile(config, QByteArray(text).replace("DIR", QFile::encodeName(dir.path())));
        daemon.setProgram(QStringLiteral("dbus-daemon"));
        daemon.setArguments({QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        daemon.start();
        if (!daemon.waitForStarted(5000) || !tz::test::waitFor([&] { return daemon.canReadLine(); }, 5000))
            return false;
        address = QString::fromUtf8(daemon.readLine()).trimmed();
        return !address.isEmpty();
    }
    // What the package installs: an activation file naming the helper's program.
    void install(const QString &exec)
    {
        tz::test::writeFile(dir.filePath(QStringLiteral("services/org.tazuna.Helper1.service")),
                            QStringLiteral("[D-BUS Service]\nName=org.tazuna.Helper1\nExec=%1\n").arg(exec).toUtf8());
    }
    ~PrivateBus()
    {
        daemon.terminate();
        daemon.waitForFinished(3000);
    }
};

} // namespace

// Answers as the helper would for an empty scan directory.
class EmptyHelper : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.tazuna.Helper1")
    Q_PROPERTY(QString ScanDirectory READ scanDirectory)
public:
    QString scanDirectory() const { return QStringLiteral("/srv/first-run/service"); }
public slots:
    tz::ServiceInfoList ListServices() { return {}; }
};

class TestFirstRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerIpcTypes(); }
    void helperNotInstalled();
    void helperInstalledButNotRunning();
};

void TestFirstRun::helperNotInstalled()
{
    PrivateBus bus;
    QVERIFY(bus.start());
    QDBusConnection c = QDBusConnection::connectToBus(bus.address, QStringLiteral("not-installed"));
    {
        HelperClient client(c);
        ServiceModel model;
        MainWindow w(&client, &model);
        QTRY_COMPARE(client.presence(), HelperClient::Presence::NotInstalled);
        QVERIFY(w.offlineShown());
        QVERIFY2(w.offlineText().contains(QStringLiteral("not installed")), qPrintable(w.offlineText()));
        QVERIFY2(w.offlineText().contains(QStringLiteral("apt install")), qPrintable(w.offlineText()));
        QVERIFY(!w.welcomeShown());
        QVERIFY(!w.action(MainWindow::Act::New)->isEnabled());
    }
    QDBusConnection::disconnectFromBus(QStringLiteral("not-installed"));
}

void TestFirstRun::helperInstalledButNotRunning()
{
    PrivateBus bus;
    QVERIFY(bus.start());
    bus.install(QStringLiteral("/bin/false"));
    QDBusConnection c = QDBusConnection::connectToBus(bus.address, QStringLiteral("not-running"));
    QDBusConnection helperSide = QDBusConnection::connectToBus(bus.address, QStringLiteral("helper-side"));
    {
        HelperClient client(c);
        ServiceModel model;
        QObject::connect(&client, &HelperClient::servicesListed, &model, &ServiceModel::setServices);
        MainWindow w(&client, &model);
        QTRY_COMPARE_WITH_TIMEOUT(client.presence(), HelperClient::Presence::NotRunning, 10000);
        QVERIFY2(w.offlineText().contains(QStringLiteral("systemctl start tazuna-helper.service")), qPrintable(w.offlineText()));
        QVERIFY(!w.welcomeShown());

        // The helper starts (here: something answering as it would on an empty scan
        // directory): the window connects by itself and explains what to do first.
        EmptyHelper helper;
        QVERIFY(helperSide.registerObject(QStringLiteral("/org/tazuna/Helper1"), &helper,
                                          QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllProperties));
        QVERIFY(helperSide.registerService(QStringLiteral("org.tazuna.Helper1")));
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10000);
        QVERIFY(!w.offlineShown());
        QTRY_VERIFY(w.welcomeShown());
        QTRY_VERIFY2(w.welcomeText().contains(QStringLiteral("/srv/first-run/service")), qPrintable(w.welcomeText()));
        QVERIFY(w.welcomeText().contains(QStringLiteral("svscan")));
        QSignalSpy create(&w, &MainWindow::newServiceRequested);
        QPushButton *button = nullptr;
        for (QPushButton *b : w.findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Create a service…"))
                button = b;
        QVERIFY(button && button->isVisibleTo(&w));
        button->click();
        QCOMPARE(create.count(), 1);

        // The first service appears: the explanation gives way to the table.
        ServiceInfo s;
        s.name = QStringLiteral("first");
        s.state = QStringLiteral("up");
        model.upsert(s);
        QVERIFY(!w.welcomeShown());
        helperSide.unregisterService(QStringLiteral("org.tazuna.Helper1"));
        helperSide.unregisterObject(QStringLiteral("/org/tazuna/Helper1"));
    }
    QDBusConnection::disconnectFromBus(QStringLiteral("helper-side"));
    QDBusConnection::disconnectFromBus(QStringLiteral("not-running"));
}

QTEST_MAIN(TestFirstRun)
#include "test_firstrun.moc"
