// SPDX-License-Identifier: MIT
// Measurements of the log browser and the service table, with a heartbeat timer on the UI thread.
#include "logbench.h"

#include "logbrowser.h"
#include "servicemodel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

namespace tz::bench {

namespace {

constexpr qint64 baseMs = 1700000000000; // 2023-11-14 22:13:20 UTC

// The "@" + 24 hex digits multilog t writes, for Unix time in ms.
QByteArray stamp(qint64 unixMs)
{
    const quint64 seconds = (quint64{1} << 62) + 10 + static_cast<quint64>(unixMs / 1000);
    const quint32 nanos = static_cast<quint32>((unixMs % 1000) * 1000000);
    return '@' + QByteArray::number(seconds, 16).rightJustified(16, '0') + QByteArray::number(nanos, 16).rightJustified(8, '0');
}

// How long the UI thread went without running a 5 ms timer: what a user feels as a freeze.
class Heartbeat {
public:
    Heartbeat()
    {
        m_gap.start();
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 gap = m_gap.restart();
            m_longest = std::max(m_longest, gap);
            m_phase = std::max(m_phase, gap);
        });
        m_timer.start(5);
    }
    double longestMs() const { return static_cast<double>(std::max(m_longest, m_gap.elapsed())); }
    // The longest gap since the last call, and a fresh start for the next phase.
    double phase()
    {
        const double worst = static_cast<double>(std::max(m_phase, m_gap.elapsed()));
        m_phase = 0;
        return worst;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_gap;
    qint64 m_longest = 0;
    qint64 m_phase = 0;
};

double ms(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

QStringList writeLogDirectory(const QString &dir, int archives, qint64 archiveBytes)
{
    QByteArray block;
    int n = 0;
    while (block.size() < (1 << 20)) {
        block += stamp(baseMs + n) + " request " + QByteArray::number(n) + " served in 3 ms from cache\n";
        ++n;
    }
    QStringList names;
    for (int a = 0; a < archives; ++a) {
        const QString name = QStringLiteral("@40000000655%1000000000000.s").arg(a, 4, 10, QLatin1Char('0'));
        QFile f(dir + QLatin1Char('/') + name);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        for (qint64 written = 0; written < archiveBytes; written += block.size())
            if (f.write(block) != block.size())
                return {};
        names.append(name);
    }
    QFile current(dir + QStringLiteral("/current"));
    if (!current.open(QIODevice::WriteOnly) || current.write(block) != block.size())
        return {};
    names.append(QStringLiteral("current"));
    return names;
}

QStringList listLogDirectory(const QString &dir)
{
    QStringList names = QDir(dir).entryList({QStringLiteral("@*.s"), QStringLiteral("@*.u")}, QDir::Files, QDir::Name);
    if (QFile::exists(dir + QStringLiteral("/current")))
        names.append(QStringLiteral("current"));
    return names;
}

LogFigures measureLogBrowser(const QString &dir, const QStringList &names, const QString &needle)
{
    LogFigures out;
    QList<LogIndex::Source> sources;
    for (const QString &n : names) {
        const int fd = ::open(QFile::encodeName(dir + QLatin1Char('/') + n).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            out.error = QStringLiteral("cannot open %1/%2").arg(dir, n);
            for (const auto &s : sources)
                ::close(s.fd);
            return out;
        }
        sources.append({n, fd});
    }

    LogBrowser browser(QStringLiteral("bench"));
    browser.show();
    if (!QTest::qWaitForWindowExposed(&browser, 5000)) {
        out.error = QStringLiteral("the window did not appear");
        return out;
    }
    Heartbeat heartbeat;
    QTableView *view = browser.view();
    const int screenful = std::max(1, view->viewport()->height() / view->verticalHeader()->defaultSectionSize());

    QElapsedTimer clock;
    clock.start();
    browser.setSources(std::move(sources));
    if (!QTest::qWaitFor([&] { return browser.model()->rowCount() >= screenful || !browser.index()->isIndexing(); }, 60000)) {
        out.error = QStringLiteral("no lines after 60 s");
        return out;
    }
    view->viewport()->repaint();
    out.firstScreenMs = ms(clock);
    if (!QTest::qWaitFor([&] { return !browser.index()->isIndexing(); }, 120000)) {
        out.error = QStringLiteral("indexing did not end within 120 s");
        return out;
    }
    out.indexedMs = ms(clock);
    out.lines = browser.model()->rowCount();
    out.blockIndexMs = heartbeat.phase();

    browser.setFollow(false);
    QScrollBar *bar = view->verticalScrollBar();
    for (int i = 0; i <= 50; ++i) {
        bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * i / 50));
        QTest::qWait(5);
    }

    out.blockScrollMs = heartbeat.phase();
    clock.restart();
    browser.search(needle, false);
    if (!QTest::qWaitFor([&] { return !browser.model()->searching(); }, 120000)) {
        out.error = QStringLiteral("the search did not end within 120 s");
        return out;
    }
    out.searchFullMs = ms(clock);
    out.matches = browser.model()->matchCount();
    out.blockSearchMs = heartbeat.phase();

    // Lines multilog writes while a search reads the archives must be found too.
    const QByteArray marker = "arrived during the search";
    browser.setFollow(true);
    browser.search(QString::fromLatin1(marker), false);
    QFile current(dir + QStringLiteral("/current"));
    if (names.isEmpty() || names.last() != QLatin1String("current") || !current.open(QIODevice::Append)) {
        out.error = QStringLiteral("cannot append to %1/current").arg(dir);
        return out;
    }
    const int before = browser.index()->lineCount();
    out.arrived = 20;
    for (int i = 0; i < out.arrived; ++i)
        current.write(stamp(baseMs + 10000000 + i) + ' ' + marker + ' ' + QByteArray::number(i) + '\n');
    current.flush();
    if (!QTest::qWaitFor([&] { return browser.index()->lineCount() >= before + out.arrived && !browser.model()->searching(); }, 120000)) {
        out.error = QStringLiteral("the lines written to current were not indexed and searched within 120 s");
        return out;
    }
    out.arrivedFound = browser.model()->matchCount();
    out.blockLiveMs = heartbeat.phase();
    out.longestBlockMs = heartbeat.longestMs();
    out.ok = true;
    return out;
}

double measureModelUpdate(int services)
{
    ServiceModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ServiceModel::SortRole);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.show();
    ServiceInfoList list;
    for (int i = 0; i < services; ++i) {
        ServiceInfo s;
        s.name = QStringLiteral("service%1").arg(i, 4, 10, QLatin1Char('0'));
        s.state = QStringLiteral("up");
        s.want = QStringLiteral("up");
        s.pid = static_cast<quint32>(1000 + i);
        s.logging = true;
        list.append(s);
    }
    QElapsedTimer clock;
    clock.start();
    model.setServices(list);
    for (ServiceInfo &s : list) {
        s.state = QStringLiteral("down");
        s.pid = 0;
        model.upsert(s);
    }
    QCoreApplication::processEvents();
    return ms(clock);
}

} // namespace tz::bench
