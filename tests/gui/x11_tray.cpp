// SPDX-License-Identifier: MIT
// The tray on a real X server with a real tray host: icon states, menu, balloon fallback.
#include "notifier.h"
#include "servicemodel.h"
#include "testsupport.h"
#include "tray.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QtTest>

using namespace tz;

namespace {
ServiceInfo info(const QString &name, const QString &state, const QString &want = QStringLiteral("up"), quint32 crashes = 0)
{
    ServiceInfo s;
    s.name = name;
    s.state = state;
    s.want = want;
    s.pid = state == QLatin1String("up") ? 100 : 0;
    s.crashes = crashes;
    return s;
}
} // namespace

class TestTray : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void iconFollowsHealth();
    void menuListsServicesWithActions();
    void balloonWhenNoNotificationService();
};

void TestTray::initTestCase()
{
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    // trayer takes a moment to claim the tray selection.
    QVERIFY2(tz::test::waitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, 15000), "no tray host");
}

void TestTray::iconFollowsHealth()
{
    ServiceModel model;
    Tray tray(&model);
    tray.icon()->show();
    QTRY_VERIFY_WITH_TIMEOUT(tray.icon()->geometry().isValid() && !tray.icon()->geometry().isEmpty(), 10000);
    QCOMPARE(tray.summary(), Tray::Summary::Empty);
    model.upsert(info(QStringLiteral("web"), QStringLiteral("up")));
    QCOMPARE(tray.summary(), Tray::Summary::AllUp);
    QCOMPARE(tray.icon()->icon().cacheKey() != 0, true);
    QVERIFY2(tray.icon()->toolTip().startsWith(QStringLiteral("Tazuna: all 1 service")), qPrintable(tray.icon()->toolTip()));
    // Stopped on purpose (want down): nothing fails, but not everything is up.
    model.upsert(info(QStringLiteral("db"), QStringLiteral("down"), QStringLiteral("down")));
    QCOMPARE(tray.summary(), Tray::Summary::AllUp);
    QCOMPARE(tray.icon()->toolTip(), QStringLiteral("Tazuna: 1 of 2 services up, the others stopped or paused on purpose"));
    model.upsert(info(QStringLiteral("db"), QStringLiteral("down")));
    QCOMPARE(tray.summary(), Tray::Summary::SomethingDown);
    QVERIFY(tray.icon()->toolTip().contains(QStringLiteral("1 of 2")));
    model.upsert(info(QStringLiteral("db"), QStringLiteral("down"), QStringLiteral("up"), 4));
    QCOMPARE(tray.summary(), Tray::Summary::CrashLoop);
    // Three distinct pictures for the three states.
    const QImage ok = Tray::iconFor(Tray::Summary::AllUp).pixmap(22).toImage();
    const QImage down = Tray::iconFor(Tray::Summary::SomethingDown).pixmap(22).toImage();
    const QImage loop = Tray::iconFor(Tray::Summary::CrashLoop).pixmap(22).toImage();
    QVERIFY(!ok.isNull() && !down.isNull() && !loop.isNull());
    QVERIFY(ok != down && down != loop && ok != loop);
}

void TestTray::menuListsServicesWithActions()
{
    ServiceModel model;
    Tray tray(&model);
    tray.icon()->show();
    model.upsert(info(QStringLiteral("web"), QStringLiteral("up")));
    model.upsert(info(QStringLiteral("db"), QStringLiteral("down"), QStringLiteral("down")));
    QStringList titles;
    QMenu *webMenu = nullptr;
    for (QAction *a : tray.menu()->actions()) {
        titles << a->text();
        if (a->menu() && a->text().startsWith(QStringLiteral("web")))
            webMenu = a->menu();
    }
    QVERIFY2(titles.contains(QStringLiteral("db — down")), qPrintable(titles.join(QLatin1Char('|'))));
    QVERIFY(titles.contains(QStringLiteral("web — up")));
    QVERIFY(titles.contains(QStringLiteral("Quit Tazuna")));
    QVERIFY(webMenu);
    QSignalSpy control(&tray, &Tray::controlRequested);
    for (QAction *a : webMenu->actions())
        if (a->text() == QStringLiteral("Restart"))
            a->trigger();
    QCOMPARE(control.count(), 1);
    QCOMPARE(control.first().at(0).toString(), QStringLiteral("web"));
    QCOMPARE(control.first().at(1).toString(), QStringLiteral("restart"));
    // The menu really opens on the X server.
    tray.menu()->popup(QPoint(1100, 40));
    QTRY_VERIFY(tray.menu()->isVisible());
    tray.menu()->hide();
}

void TestTray::balloonWhenNoNotificationService()
{
    ServiceModel model;
    Tray tray(&model);
    tray.icon()->show();
    QTRY_VERIFY_WITH_TIMEOUT(tray.icon()->isVisible(), 5000);
    // A bus with nobody owning org.freedesktop.Notifications.
    QProcess bus;
    bus.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    QVERIFY(bus.waitForStarted());
    QVERIFY(tz::test::waitFor([&] { return bus.canReadLine(); }, 5000));
    const QString address = QString::fromUtf8(bus.readLine()).trimmed();
    Notifier notifier(QDBusConnection::connectToBus(address, QStringLiteral("empty-session")));
    notifier.setTray(tray.icon());
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    ExitInfo exit;
    exit.signal = 11;
    exit.ranMs = 2000;
    notifier.crashed(QStringLiteral("web"), exit, 1);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, 10000);
    QCOMPARE(delivered.first().at(1).toString(), QStringLiteral("tray"));
    QCOMPARE(Notifier::bodyText(exit, 1), QStringLiteral("killed by SIGSEGV after 2 s."));
    notifier.setSilenced(true);
    // Silenced: nothing is even asked of the bus, so nothing can arrive later.
    notifier.crashed(QStringLiteral("web"), exit, 1);
    QCOMPARE(delivered.count(), 1);
    bus.terminate();
    bus.waitForFinished();
}

QTEST_MAIN(TestTray)
#include "x11_tray.moc"
