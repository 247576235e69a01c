// SPDX-License-Identifier: MIT
// Crash notifications through a notification service on a private session bus: one per service
// however fast it crashes, the actions map back, and the silence option silences.
#include "guifixture.h"
#include "i18n.h"
#include "notifier.h"

#include <QtTest>

using namespace tz;
using namespace tz::test;

class TestNotifier : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void aCrashLoopIsOneNotification();
    void actionsMapBackToTheService();
    void silencedSendsNothing();
    void cleanupTestCase();

private:
    static ExitInfo exited(int code)
    {
        ExitInfo e;
        e.when = QDateTime::currentMSecsSinceEpoch();
        e.exitCode = code;
        e.ranMs = 300;
        return e;
    }
    QList<FakeNotifications::Request> about(const QString &name) const
    {
        QList<FakeNotifications::Request> out;
        for (const auto &r : m_server->requests)
            if (r.summary.contains(name))
                out.append(r);
        return out;
    }

    std::unique_ptr<SessionBus> m_session;
    std::unique_ptr<FakeNotifications> m_server;
    std::unique_ptr<Notifier> m_notifier;
};

void TestNotifier::initTestCase()
{
    // As the app does at start: the English plurals come from the translation too.
    installTranslations(QStringLiteral("en"));
    m_session = std::make_unique<SessionBus>();
    QVERIFY(m_session->start());
    m_server = std::make_unique<FakeNotifications>();
    m_server->bus = QDBusConnection::connectToBus(m_session->address, QStringLiteral("notification-server"));
    QVERIFY(m_server->bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), m_server.get(), QDBusConnection::ExportAllSlots));
    QVERIFY(m_server->bus.registerService(QStringLiteral("org.freedesktop.Notifications")));
    m_notifier = std::make_unique<Notifier>(QDBusConnection::connectToBus(m_session->address, QStringLiteral("app-session")));
}

void TestNotifier::init()
{
    m_server->requests.clear();
    m_notifier->setSilenced(false);
}

void TestNotifier::cleanupTestCase()
{
    m_notifier.reset();
    QDBusConnection::disconnectFromBus(QStringLiteral("app-session"));
    QDBusConnection::disconnectFromBus(QStringLiteral("notification-server"));
    m_server.reset();
    m_session.reset();
}

void TestNotifier::aCrashLoopIsOneNotification()
{
    // Three crashes before the first Notify is even answered.
    m_notifier->crashed(QStringLiteral("loop"), exited(1), 1);
    m_notifier->crashed(QStringLiteral("loop"), exited(2), 2);
    m_notifier->crashed(QStringLiteral("loop"), exited(3), 3);
    QTRY_COMPARE(about(QStringLiteral("loop")).size(), 2);
    const auto first = about(QStringLiteral("loop"))[0];
    const auto latest = about(QStringLiteral("loop"))[1];
    QCOMPARE(first.replaces, 0u);
    QCOMPARE(latest.replaces, first.id);
    QCOMPARE(latest.id, first.id);
    // The update says what happened last, not what happened first.
    QCOMPARE(latest.summary, QStringLiteral("loop keeps crashing"));
    QVERIFY2(latest.body.startsWith(QStringLiteral("exited 3 after")), qPrintable(latest.body));
    QVERIFY2(latest.body.contains(QStringLiteral("3 times in the last minute")), qPrintable(latest.body));
    // Once answered, a later crash updates the same one again; another service gets its own.
    m_notifier->crashed(QStringLiteral("loop"), exited(4), 4);
    m_notifier->crashed(QStringLiteral("other"), exited(5), 1);
    QTRY_COMPARE(m_server->requests.size(), 4);
    QCOMPARE(about(QStringLiteral("loop"))[2].replaces, first.id);
    QCOMPARE(about(QStringLiteral("other"))[0].replaces, 0u);
    QVERIFY(about(QStringLiteral("other"))[0].id != first.id);
}

void TestNotifier::actionsMapBackToTheService()
{
    QSignalSpy delivered(m_notifier.get(), &Notifier::delivered);
    m_notifier->crashed(QStringLiteral("mapped"), exited(1), 1);
    const auto deliveredMapped = [&] {
        for (const QList<QVariant> &d : delivered)
            if (d.at(0).toString() == QLatin1String("mapped"))
                return d.at(1).toString();
        return QString();
    };
    QTRY_COMPARE(deliveredMapped(), QStringLiteral("desktop"));
    QCOMPARE(about(QStringLiteral("mapped")).size(), 1);
    const uint id = about(QStringLiteral("mapped")).first().id;
    QSignalSpy restart(m_notifier.get(), &Notifier::restartRequested);
    QSignalSpy keep(m_notifier.get(), &Notifier::keepStoppedRequested);
    QSignalSpy log(m_notifier.get(), &Notifier::showLogRequested);
    m_server->invoke(id, QStringLiteral("restart"));
    QTRY_COMPARE(restart.count(), 1);
    QCOMPARE(restart.first().first().toString(), QStringLiteral("mapped"));
    m_server->invoke(id, QStringLiteral("keep-stopped"));
    QTRY_COMPARE(keep.count(), 1);
    m_server->invoke(id, QStringLiteral("show-log"));
    QTRY_COMPARE(log.count(), 1);
    QCOMPARE(log.first().first().toString(), QStringLiteral("mapped"));
    // An id that is not ours (another app's notification) does nothing.
    m_server->invoke(id + 1000, QStringLiteral("restart"));
    m_server->invoke(id, QStringLiteral("show-log"));
    QTRY_COMPARE(log.count(), 2);
    QCOMPARE(restart.count(), 1);
}

void TestNotifier::silencedSendsNothing()
{
    m_notifier->setSilenced(true);
    m_notifier->crashed(QStringLiteral("quiet"), exited(1), 1);
    m_notifier->setSilenced(false);
    m_notifier->crashed(QStringLiteral("loud"), exited(1), 1);
    // Calls on one connection arrive in order: once "loud" is there, "quiet" would be too.
    QTRY_COMPARE(about(QStringLiteral("loud")).size(), 1);
    QCOMPARE(about(QStringLiteral("quiet")).size(), 0);
    QCOMPARE(m_server->requests.size(), 1);
}

QTEST_MAIN(TestNotifier)
#include "test_notifier.moc"
