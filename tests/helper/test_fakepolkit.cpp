// SPDX-License-Identifier: MIT
// The helper against a fake polkit authority: what it sends, a slow answer that must not block it, no polkit at all.
#include "helpertestbase.h"

#include <QDBusArgument>
#include <QDBusConnectionInterface>
#include <QDBusVirtualObject>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <atomic>

using namespace tz;
using namespace tz::test;

namespace {

// Answers CheckAuthorization after delayMs with authorized, and remembers what it
// was asked.
class FakeAuthority : public QDBusVirtualObject {
public:
    explicit FakeAuthority(QDBusConnection bus) : m_bus(std::move(bus)) {}

    struct Asked {
        QString subjectKind;
        QString subjectName;
        QString action;
        uint flags = 0;
    };
    QList<Asked> asked;
    std::atomic<int> delayMs = 0;
    std::atomic<bool> authorized = true;

    QString introspect(const QString &) const override { return {}; }

    bool handleMessage(const QDBusMessage &message, const QDBusConnection &) override
    {
        if (message.member() != QLatin1String("CheckAuthorization"))
            return false;
        const QList<QVariant> args = message.arguments();
        Asked a;
        const QDBusArgument subject = args.value(0).value<QDBusArgument>();
        QVariantMap details;
        subject.beginStructure();
        subject >> a.subjectKind >> details;
        subject.endStructure();
        a.subjectName = details.value(QStringLiteral("name")).toString();
        a.action = args.value(1).toString();
        a.flags = args.value(3).toUInt();
        asked << a;
        message.setDelayedReply(true);
        const bool answer = authorized;
        QTimer::singleShot(delayMs.load(), this, [bus = m_bus, message, answer] {
            QDBusArgument result;
            result.beginStructure();
            result << answer << false << QMap<QString, QString>{};
            result.endStructure();
            QDBusConnection(bus).send(message.createReply(QVariant::fromValue(result)));
        });
        return true;
    }

private:
    QDBusConnection m_bus;
};

} // namespace

class TestFakePolkit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void asksForTheCallersBusNameAndInteractionAsAllowed();
    void slowPolkitDoesNotBlockTheHelper();
    void deniedMeansNotAuthorized();
    void missingPolkitMeansNotAuthorized();
    void helperSleepsWhileNothingHappens();
    void cleanupTestCase();

private:
    std::unique_ptr<HelperFixture> f;
    std::unique_ptr<FakeAuthority> m_fake;
    QThread m_fakeThread; // the test blocks in waitForFinished; the fake must not
    QDBusConnection m_fakeBus{QString()};
};

void TestFakePolkit::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start(true));
    m_fakeBus = f->harness.connectAs(0, 0, QStringLiteral("fake-polkit"));
    m_fake = std::make_unique<FakeAuthority>(m_fakeBus);
    m_fakeThread.start();
    m_fake->moveToThread(&m_fakeThread);
    QVERIFY(m_fakeBus.registerVirtualObject(QStringLiteral("/org/freedesktop/PolicyKit1/Authority"), m_fake.get()));
    QVERIFY(m_fakeBus.registerService(QStringLiteral("org.freedesktop.PolicyKit1")));
    // uid 0 passes polkit too, so root creates the service the others then act on.
    // It ignores SIGHUP, so the hangups below leave it running.
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("svc"),
                                     foreground(QStringLiteral("trap '' HUP; exec sleep 100000"), QStringLiteral("tzalice"), false))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("svc"), QStringLiteral("up")));
    m_fake->asked.clear();
}

void TestFakePolkit::cleanupTestCase()
{
    m_fakeBus.unregisterService(QStringLiteral("org.freedesktop.PolicyKit1"));
    m_fakeBus.unregisterObject(QStringLiteral("/org/freedesktop/PolicyKit1/Authority"));
    m_fakeThread.quit();
    m_fakeThread.wait();
    f.reset();
}

void TestFakePolkit::asksForTheCallersBusNameAndInteractionAsAllowed()
{
    QCOMPARE(errorOf(f->asAlice->Control(QStringLiteral("svc"), QStringLiteral("hup"))), QString());
    QTRY_COMPARE(m_fake->asked.size(), 1);
    const auto a = m_fake->asked.first();
    QCOMPARE(a.subjectKind, QStringLiteral("system-bus-name"));
    QCOMPARE(a.subjectName, f->asAlice->connection().baseService());
    QCOMPARE(a.action, QStringLiteral("org.tazuna.control")); // root made it: not alice's own
    QCOMPARE(a.flags, 0u); // the call did not allow a password dialog
    // One that allows it (ALLOW_INTERACTIVE_AUTHORIZATION): AllowUserInteraction.
    QCOMPARE(errorOf(QDBusPendingReply<>(askingCall(*f->asAlice, QStringLiteral("Control"), {QStringLiteral("svc"), QStringLiteral("hup")}))), QString());
    QTRY_COMPARE(m_fake->asked.size(), 2);
    QCOMPARE(m_fake->asked.at(1).flags, 1u);
}

void TestFakePolkit::slowPolkitDoesNotBlockTheHelper()
{
    m_fake->delayMs = 1500;
    QElapsedTimer t;
    t.start();
    QDBusPendingReply<> slow = f->asAlice->Control(QStringLiteral("svc"), QStringLiteral("hup"));
    // While polkit thinks, the helper answers others at once.
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer one;
        one.start();
        QDBusPendingReply<ServiceInfoList> list = f->asBob->ListServices();
        list.waitForFinished();
        QVERIFY(!list.isError());
        QVERIFY2(one.elapsed() < 500, qPrintable(QString::number(one.elapsed())));
    }
    QVERIFY(!slow.isFinished());
    slow.waitForFinished();
    QVERIFY(!slow.isError());
    QVERIFY(t.elapsed() >= 1400);
    m_fake->delayMs = 0;
}

void TestFakePolkit::deniedMeansNotAuthorized()
{
    m_fake->authorized = false;
    QCOMPARE(errorOf(f->asAlice->Remove(QStringLiteral("svc"), true)), QLatin1String(errors::notAuthorized));
    QVERIFY(QFileInfo::exists(f->path(QStringLiteral("svc/run"))));
    m_fake->authorized = true;
}

void TestFakePolkit::missingPolkitMeansNotAuthorized()
{
    const quint32 pid = f->find(QStringLiteral("svc"))->pid;
    QVERIFY(m_fakeBus.unregisterService(QStringLiteral("org.freedesktop.PolicyKit1")));
    QDBusPendingReply<> r = f->asAlice->Control(QStringLiteral("svc"), QStringLiteral("stop"));
    r.waitForFinished();
    QCOMPARE(r.error().name(), QLatin1String(errors::notAuthorized));
    QVERIFY(r.error().message().contains(QLatin1String("polkit")));
    QCOMPARE(f->find(QStringLiteral("svc"))->state, QStringLiteral("up"));
    QCOMPARE(f->find(QStringLiteral("svc"))->pid, pid);
    QVERIFY(m_fakeBus.registerService(QStringLiteral("org.freedesktop.PolicyKit1")));
}

// utime + stime of a process, in clock ticks.
static qint64 cpuTicks(qint64 pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 12 ? fields[11].toLongLong() + fields[12].toLongLong() : -1;
}

void TestFakePolkit::helperSleepsWhileNothingHappens()
{
    // No polling timer, no busy loop: a second of a quiet tree costs the helper
    // (next to) nothing.
    const qint64 pid = f->harness.helperPid();
    QTest::qWait(200);
    const qint64 before = cpuTicks(pid);
    QTest::qWait(1500);
    const qint64 after = cpuTicks(pid);
    QVERIFY(before >= 0);
    QVERIFY2(after - before <= 1, qPrintable(QStringLiteral("%1 ticks").arg(after - before)));
}

QTEST_GUILESS_MAIN(TestFakePolkit)
#include "test_fakepolkit.moc"
