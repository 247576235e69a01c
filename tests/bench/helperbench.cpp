// SPDX-License-Identifier: MIT
// tazuna-helperbench: times the helper's ListServices and its ServiceChanged signal for a large tree on a private bus.
//
// It starts what a desktop has (a private system bus with the project's policy, a
// real polkitd, tazuna-helper, which starts svscan over a tree of N services that
// exec a sleep), waits until every service is up, then measures from the client
// side through the generated proxy the app uses:
//   helper.list_services   one ListServices call, request to decoded reply
//   helper.signal_delay    from just before `svc -d` (or -u) is run to the arrival of
//                          ServiceChanged for that service with the new state
// Output: the bench's line format, one line per figure; progress on stderr.
#include "dbusharness.h"
#include "helper1proxy.h"
#include "testsupport.h"
#include "types.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include <sys/stat.h>

namespace {

using tz::test::DbusHarness;

// Spins the event loop until done() holds or timeoutMs passes; the 1 ms check keeps
// the cost of noticing small next to what is measured (signals are timed in their slot).
bool spin(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(1);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
}

void printFigure(const char *figure, std::vector<double> v, const char *unit, const char *note)
{
    if (v.empty()) {
        std::printf("bench %s impl=tazuna unit=%s n=0 missing=1\n", figure, unit);
        return;
    }
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    std::printf("bench %s impl=tazuna median=%.6g min=%.6g max=%.6g unit=%s n=%zu note=%s\n", figure, median, v.front(),
                v.back(), unit, n, note);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int services = 1000;
    int reps = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--services"))
            services = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--reps"))
            reps = args[i + 1].toInt();
    }
    if (services < 1 || reps < 1) {
        std::fprintf(stderr, "tazuna-helperbench: usage: tazuna-helperbench [--services N] [--reps R]\n");
        return 100;
    }
    tz::registerIpcTypes();

    QTemporaryDir parent;
    ::chmod(QFile::encodeName(parent.path()).constData(), 0755);
    const QString scanDir = parent.filePath(QStringLiteral("service"));
    QDir().mkpath(scanDir);
    for (int i = 0; i < services; ++i) {
        const QString dir = scanDir + QStringLiteral("/s%1").arg(i, 4, 10, QLatin1Char('0'));
        QDir().mkpath(dir);
        tz::test::writeFile(dir + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 100000\n", 0755);
    }

    int status = 0;
    {
        // The helper restarts an svscan that dies: it goes first, then the tree.
        auto owned = std::make_unique<DbusHarness>();
        DbusHarness &harness = *owned;
        if (!harness.startBus() || !harness.startPolkit(QString()) || !harness.startHelper(scanDir)) {
            std::fprintf(stderr, "tazuna-helperbench: fatal: unable to start the bus, polkitd or the helper\n");
            owned.reset();
            DbusHarness::stopTree(scanDir);
            return 111;
        }
        QElapsedTimer upTimer;
        upTimer.start();
        const bool allUp = tz::test::waitFor(
            [&] {
                for (int i = 0; i < services; ++i)
                    if (!tz::test::superviseStatusPid(scanDir + QStringLiteral("/s%1").arg(i, 4, 10, QLatin1Char('0'))))
                        return false;
                return true;
            },
            180000);
        std::fprintf(stderr, "tazuna-helperbench: %d services %s after %.1f s\n", services, allUp ? "up" : "NOT up",
                     static_cast<double>(upTimer.elapsed()) / 1e3);

        QDBusConnection bus = harness.connectAs(0, 0, QStringLiteral("bench"));
        HelperProxy proxy(QStringLiteral("org.tazuna.Helper1"), QStringLiteral("/org/tazuna/Helper1"), bus);

        std::vector<double> list;
        int listed = -1;
        for (int r = 0; r < reps && allUp; ++r) {
            QElapsedTimer t;
            t.start();
            QDBusPendingReply<tz::ServiceInfoList> reply = proxy.ListServices();
            reply.waitForFinished();
            const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
            if (reply.isError()) {
                std::fprintf(stderr, "tazuna-helperbench: ListServices: %s\nhelper output:\n%s\n",
                             qPrintable(reply.error().message()), harness.helperOutput().right(2000).constData());
                break;
            }
            listed = static_cast<int>(reply.value().size());
            list.push_back(ms);
        }
        if (listed != services)
            status = 1;
        std::fprintf(stderr, "tazuna-helperbench: ListServices returned %d services\n", listed);

        // The state a ServiceChanged must carry, and when it came.
        QString target;
        QString wanted;
        qint64 arrived = -1;
        QElapsedTimer clock;
        clock.start();
        QObject::connect(&proxy, &HelperProxy::ServiceChanged, [&](const tz::ServiceInfo &info) {
            if (arrived < 0 && info.name == target && info.state == wanted)
                arrived = clock.nsecsElapsed();
        });
        const QString svc = tz::test::toolPath(QStringLiteral("svc"));
        std::vector<double> signalMs;
        for (int r = 0; r < reps && listed == services; ++r) {
            target = QStringLiteral("s%1").arg(r % services, 4, 10, QLatin1Char('0'));
            for (const char *change : {"down", "up"}) {
                wanted = QLatin1String(change);
                arrived = -1;
                // supervise waits a second between two starts of ./run: keep clear of it.
                if (wanted == QLatin1String("up"))
                    spin([] { return false; }, 1100);
                const qint64 sent = clock.nsecsElapsed();
                QProcess::execute(svc, {wanted == QLatin1String("down") ? QStringLiteral("-d") : QStringLiteral("-u"),
                                        scanDir + QLatin1Char('/') + target});
                if (spin([&] { return arrived >= 0; }, 10000))
                    signalMs.push_back(static_cast<double>(arrived - sent) / 1e6);
                else
                    std::fprintf(stderr, "tazuna-helperbench: no ServiceChanged(%s, %s) within 10 s\n",
                                 qPrintable(target), change);
            }
        }
        const QByteArray note = QByteArray::number(services) + "_services";
        printFigure("helper.list_services", list, "ms", note.constData());
        printFigure("helper.signal_delay", signalMs, "ms", "svc_-d/-u_to_ServiceChanged_with_new_state");
        if (signalMs.size() != static_cast<std::size_t>(2 * reps))
            status = 1;
        owned.reset();
        DbusHarness::stopTree(scanDir);
    }
    return status;
}
