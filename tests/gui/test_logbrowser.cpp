// SPDX-License-Identifier: MIT
// The log browser over real multilog directories: timeline, rotation marks, search, follow, size.
#include "logbench.h"
#include "logbrowser.h"
#include "logline.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTableView>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSet>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

using namespace tz;

namespace {

// The "@" + 24 hex prefix multilog t writes for Unix time ms.
QByteArray stamp(qint64 unixMs)
{
    const quint64 seconds = (quint64{1} << 62) + 10 + static_cast<quint64>(unixMs / 1000);
    const quint32 nanos = static_cast<quint32>((unixMs % 1000) * 1000000);
    return '@' + QByteArray::number(seconds, 16).rightJustified(16, '0') + QByteArray::number(nanos, 16).rightJustified(8, '0');
}

QList<LogIndex::Source> openAll(const QString &dir, const QStringList &names)
{
    QList<LogIndex::Source> out;
    for (const QString &n : names)
        out.append({n, ::open(QFile::encodeName(dir + QLatin1Char('/') + n).constData(), O_RDONLY | O_CLOEXEC)});
    return out;
}

constexpr qint64 t0 = 1700000000000; // 2023-11-14 22:13:20 UTC

} // namespace

class TestLogBrowser : public QObject {
    Q_OBJECT
private slots:
    void decodesStamps();
    void timelineAcrossFiles();
    void searchAndFilter();
    void plainSearchMatchesLikeTheExpression();
    void jumps();
    void followsAndRotates();
    void exportsSelection();
    void searchSeesLinesArrivingDuringIt_data();
    void searchSeesLinesArrivingDuringIt();
    void longLineShowsAllThatFits();
    void largeLogStaysResponsive();
};

void TestLogBrowser::decodesStamps()
{
    const LogLine l = decodeLogLine(stamp(t0 + 1234) + " hello world\n");
    QVERIFY(l.unixMs.has_value());
    QCOMPARE(*l.unixMs, t0 + 1234);
    QCOMPARE(l.text, QStringLiteral("hello world"));
    const LogLine plain = decodeLogLine("no stamp here");
    QVERIFY(!plain.unixMs);
    QCOMPARE(plain.text, QStringLiteral("no stamp here"));
    QVERIFY(!decodeTai64nLabel("@40000000zz0000000000000000"));
}

void TestLogBrowser::timelineAcrossFiles()
{
    QTemporaryDir dir;
    tz::test::writeFile(dir.filePath(QStringLiteral("@400000006553f100000000000.s")),
                        stamp(t0) + " a1\n" + stamp(t0 + 1000) + " a2\n");
    tz::test::writeFile(dir.filePath(QStringLiteral("@400000006553f200000000000.u")),
                        stamp(t0 + 2000) + " b1\n" + stamp(t0 + 3000) + " b2 unfinished");
    tz::test::writeFile(dir.filePath(QStringLiteral("current")), stamp(t0 + 4000) + " c1\n" + stamp(t0 + 5000) + " c2\n");
    LogBrowser browser(QStringLiteral("demo"));
    QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.setFollow(false);
    browser.setSources(openAll(dir.path(), {QStringLiteral("@400000006553f100000000000.s"),
                                            QStringLiteral("@400000006553f200000000000.u"), QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 6);
    QTRY_VERIFY(!browser.index()->isIndexing());
    LogModel *m = browser.model();
    QCOMPARE(m->index(0, LogModel::TextColumn).data().toString(), QStringLiteral("a1"));
    QCOMPARE(m->index(3, LogModel::TextColumn).data().toString(), QStringLiteral("b2 unfinished"));
    QCOMPARE(m->index(5, LogModel::TextColumn).data().toString(), QStringLiteral("c2"));
    QVERIFY(!m->index(0, 0).data(LogModel::BoundaryRole).toBool());
    QVERIFY(m->index(2, 0).data(LogModel::BoundaryRole).toBool());
    QVERIFY(m->index(4, 0).data(LogModel::BoundaryRole).toBool());
    QCOMPARE(m->index(4, 0).data(LogModel::FileNameRole).toString(), QStringLiteral("current"));
    browser.setUtc(true);
    QVERIFY(m->index(0, 0).data().toString().contains(QStringLiteral("22:13:20.000")));
    QCOMPARE(m->index(1, 0).data(LogModel::UnixMsRole).toLongLong(), t0 + 1000);
}

void TestLogBrowser::searchAndFilter()
{
    QTemporaryDir dir;
    QByteArray archive, current;
    for (int i = 0; i < 500; ++i)
        archive += stamp(t0 + i * 1000) + (i % 50 == 0 ? " ERROR disk " : " ok ") + QByteArray::number(i) + '\n';
    for (int i = 500; i < 600; ++i)
        current += stamp(t0 + i * 1000) + (i % 50 == 0 ? " error net " : " ok ") + QByteArray::number(i) + '\n';
    tz::test::writeFile(dir.filePath(QStringLiteral("@400000006553f100000000000.s")), archive);
    tz::test::writeFile(dir.filePath(QStringLiteral("current")), current);
    LogBrowser browser(QStringLiteral("demo"));
    QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.setFollow(false);
    browser.setSources(openAll(dir.path(), {QStringLiteral("@400000006553f100000000000.s"), QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 600);

    browser.search(QStringLiteral("error"), false);
    QTRY_COMPARE(browser.model()->matchCount(), 12);
    QVERIFY(browser.model()->index(50, 1).data(LogModel::MatchRole).toBool());
    QVERIFY(!browser.model()->index(51, 1).data(LogModel::MatchRole).toBool());

    browser.setFilterMatching(true);
    QCOMPARE(browser.model()->rowCount(), 12);
    QCOMPARE(browser.model()->index(11, 1).data().toString(), QStringLiteral("error net 550"));

    browser.search(QStringLiteral("^ERROR disk [0-9]*0$"), true);
    QTRY_COMPARE(browser.model()->matchCount(), 10);
    QCOMPARE(browser.model()->rowCount(), 10);
    browser.setFilterMatching(false);
    QCOMPARE(browser.model()->rowCount(), 600);
    QCOMPARE(browser.model()->nextMatch(0, true), 50);
    QCOMPARE(browser.model()->nextMatch(50, false), 0);
    browser.search(QString(), false);
    QCOMPARE(browser.model()->matchCount(), 0);
}

void TestLogBrowser::plainSearchMatchesLikeTheExpression()
{
    // Plain text is looked for in the raw bytes first; the result must be what the
    // expression alone finds, also where case folding crosses into Unicode (KELVIN SIGN
    // folds to k) and where the text sits across the read chunks.
    QTemporaryDir dir;
    QByteArray current;
    for (int i = 0; i < 120000; ++i)
        current += stamp(t0 + i) + (i % 1000 == 7 ? " Disk OK " : " disk ok? no ") + QByteArray::number(i) + '\n';
    current += stamp(t0 + 200000) + " DISK \xe2\x84\xaa via kelvin sign\n";
    current += stamp(t0 + 200001) + " disk \xc3\xa9t\xc3\xa9 ok\n";
    tz::test::writeFile(dir.filePath(QStringLiteral("current")), current);
    LogBrowser browser(QStringLiteral("demo"));
    browser.setFollow(false);
    browser.setSources(openAll(dir.path(), {QStringLiteral("current")}));
    QTRY_VERIFY(!browser.index()->isIndexing());
    QCOMPARE(browser.model()->rowCount(), 120002);
    browser.search(QStringLiteral("disk ok "), false);
    QTRY_VERIFY(!browser.model()->searching());
    QCOMPARE(browser.model()->matchCount(), 120);
    browser.search(QStringLiteral("DISK K"), false);
    QTRY_VERIFY(!browser.model()->searching());
    QCOMPARE(browser.model()->matchCount(), 1);
    QCOMPARE(browser.model()->nextMatch(-1, true), 120000);
    browser.search(QStringLiteral("t\u00e9 ok"), false);
    QTRY_VERIFY(!browser.model()->searching());
    QCOMPARE(browser.model()->matchCount(), 1);
    QCOMPARE(browser.model()->nextMatch(-1, true), 120001);
}

void TestLogBrowser::jumps()
{
    QTemporaryDir dir;
    QByteArray current;
    for (int i = 0; i < 100; ++i)
        current += stamp(t0 + i * 10000) + " line " + QByteArray::number(i) + '\n';
    tz::test::writeFile(dir.filePath(QStringLiteral("current")), current);
    LogBrowser browser(QStringLiteral("demo"));
    browser.setSources(openAll(dir.path(), {QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 100);
    QVERIFY(browser.jumpToTime(QDateTime::fromMSecsSinceEpoch(t0 + 305000)));
    QCOMPARE(browser.view()->currentIndex().row(), 31);
    browser.setCrashTimes({t0 + 100000, t0 + 505000});
    QVERIFY(browser.jumpToLastCrash());
    QCOMPARE(browser.view()->currentIndex().row(), 50);
}

void TestLogBrowser::followsAndRotates()
{
    QTemporaryDir dir;
    const QString current = dir.filePath(QStringLiteral("current"));
    tz::test::writeFile(current, stamp(t0) + " first\n");
    LogBrowser browser(QStringLiteral("demo"));
    QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.setSources(openAll(dir.path(), {QStringLiteral("current")}));
    browser.setFollow(true);
    QTRY_COMPARE(browser.model()->rowCount(), 1);
    QFile f(current);
    QVERIFY(f.open(QIODevice::Append));
    f.write(stamp(t0 + 1000) + " second\n" + stamp(t0 + 2000) + " thi");
    f.flush();
    QTRY_COMPARE(browser.model()->rowCount(), 2);
    f.write("rd\n");
    f.flush();
    QTRY_COMPARE(browser.model()->rowCount(), 3);
    QCOMPARE(browser.model()->index(2, 1).data().toString(), QStringLiteral("third"));
    f.close();

    // multilog's rotation: current renamed into an archive, a fresh current created.
    QSignalSpy rotated(&browser, &LogBrowser::reloadRequested);
    const QString archive = QStringLiteral("@400000006553f300000000000.s");
    QVERIFY(QFile::rename(current, dir.filePath(archive)));
    QTRY_COMPARE(rotated.count(), 1);
    tz::test::writeFile(current, stamp(t0 + 3000) + " after rotation\n");
    browser.setSources(openAll(dir.path(), {archive, QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 4);
    QVERIFY(browser.model()->index(3, 0).data(LogModel::BoundaryRole).toBool());
    QCOMPARE(browser.model()->index(3, 1).data().toString(), QStringLiteral("after rotation"));
    QCOMPARE(rotated.count(), 1);
    QCOMPARE(rotated.at(0).at(0).toBool(), false); // not asked for by the user

    // current rotated between its opening and the browser's watch: the browser
    // still learns that it follows an archive.
    QList<LogIndex::Source> late = openAll(dir.path(), {archive, QStringLiteral("current")});
    const QString second = QStringLiteral("@400000006553f400000000000.s");
    QVERIFY(QFile::rename(current, dir.filePath(second)));
    tz::test::writeFile(current, stamp(t0 + 4000) + " after the second\n");
    browser.setSources(std::move(late));
    QTRY_COMPARE(rotated.count(), 2);
    QCOMPARE(rotated.at(1).at(0).toBool(), false);
    QTRY_COMPARE(browser.model()->rowCount(), 4); // what it read stays until the reload
}

void TestLogBrowser::exportsSelection()
{
    QTemporaryDir dir;
    tz::test::writeFile(dir.filePath(QStringLiteral("current")),
                        stamp(t0) + " one\n" + stamp(t0 + 1) + " two\n" + stamp(t0 + 2) + " three\n");
    LogBrowser browser(QStringLiteral("demo"));
    browser.setSources(openAll(dir.path(), {QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 3);
    browser.view()->selectRow(0);
    browser.view()->selectionModel()->select(browser.model()->index(2, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(browser.selectedText(), QString::fromLatin1(stamp(t0) + " one\n" + stamp(t0 + 2) + " three\n"));
    const QString out = dir.filePath(QStringLiteral("export.log"));
    QVERIFY(browser.exportSelection(out));
    QCOMPARE(tz::test::readFile(out), stamp(t0) + " one\n" + stamp(t0 + 2) + " three\n");
}

void TestLogBrowser::searchSeesLinesArrivingDuringIt_data()
{
    QTest::addColumn<bool>("filter");
    QTest::newRow("all lines") << false;
    QTest::newRow("only matching lines") << true;
}

void TestLogBrowser::searchSeesLinesArrivingDuringIt()
{
    QFETCH(bool, filter);
    QTemporaryDir dir;
    QByteArray archive;
    for (int i = 0; i < 2000; ++i)
        archive += stamp(t0 + i) + (i % 100 == 0 ? " warning old " : " ok ") + QByteArray::number(i) + '\n';
    const QString archiveName = QStringLiteral("@400000006553f100000000000.s");
    tz::test::writeFile(dir.filePath(archiveName), archive);
    const QString current = dir.filePath(QStringLiteral("current"));
    tz::test::writeFile(current, stamp(t0 + 5000) + " warning first\n");
    LogBrowser browser(QStringLiteral("demo"));
    QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.setFollow(true);
    browser.setFilterMatching(filter);
    browser.setSources(openAll(dir.path(), {archiveName, QStringLiteral("current")}));
    QTRY_VERIFY(!browser.index()->isIndexing());
    QCOMPARE(browser.index()->lineCount(), 2001);

    // The search's worker waits behind a task that holds the only search thread, so the new
    // lines below are indexed while the search is certainly still running.
    QThreadPool *pool = browser.model()->searchPool();
    const int threads = pool->maxThreadCount();
    pool->setMaxThreadCount(1);
    QSemaphore release;
    pool->start([&release] { release.acquire(); });
    // A failed check below returns at once: the held thread is let go then too, or the
    // model's destructor would wait for it forever.
    const auto letGo = qScopeGuard([&release] { release.release(); });
    browser.search(QStringLiteral("warning"), false);
    QVERIFY(browser.model()->searching());
    // Qt paints large areas with the help of the global pool and waits for it: a search
    // must leave that pool free, or every repaint waits for the search.
    QSemaphore painted;
    QThreadPool::globalInstance()->start([&painted] { painted.release(); });
    QVERIFY(painted.tryAcquire(1, 5000));
    QFile f(current);
    QVERIFY(f.open(QIODevice::Append));
    f.write(stamp(t0 + 6000) + " warning arrived 1\n" + stamp(t0 + 6001) + " fine\n" + stamp(t0 + 6002) + " warning arrived 2\n");
    f.close();
    QTRY_COMPARE(browser.index()->lineCount(), 2004);
    QVERIFY(browser.model()->searching());
    release.release();
    QTRY_VERIFY(!browser.model()->searching());
    pool->waitForDone();
    pool->setMaxThreadCount(threads);
    QCOMPARE(browser.model()->matchCount(), 20 + 1 + 2);
    QVERIFY(browser.model()->index(filter ? 22 : 2003, LogModel::TextColumn).data(LogModel::MatchRole).toBool());
    QCOMPARE(browser.model()->rowCount(), filter ? 23 : 2004);
    QCOMPARE(browser.model()->index(filter ? 22 : 2003, LogModel::TextColumn).data().toString(), QStringLiteral("warning arrived 2"));

    // And after the search: a line that arrives is matched as it is indexed.
    QVERIFY(f.open(QIODevice::Append));
    f.write(stamp(t0 + 7000) + " warning later\n");
    f.close();
    QTRY_COMPARE(browser.model()->matchCount(), 24);
    QCOMPARE(browser.model()->rowCount(), filter ? 24 : 2005);
}

void TestLogBrowser::longLineShowsAllThatFits()
{
    // The delegate draws only the start of a line that can show; a 16 KiB line must
    // look exactly like its first 400 characters, which are wider than the column.
    QTemporaryDir dir;
    QByteArray body;
    for (int i = 0; body.size() < 16000; ++i)
        body += QByteArray::number(i) + ' ';
    const QByteArray start = body.left(400);
    tz::test::writeFile(dir.filePath(QStringLiteral("current")),
                        stamp(t0) + ' ' + body + '\n' + stamp(t0) + " filler\n" + stamp(t0) + ' ' + start + '\n');
    LogBrowser browser(QStringLiteral("demo"));
    browser.setFollow(false);
    browser.resize(900, 400);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    browser.setSources(openAll(dir.path(), {QStringLiteral("current")}));
    QTRY_COMPARE(browser.model()->rowCount(), 3);
    QTableView *view = browser.view();
    const QRect longCell = view->visualRect(browser.model()->index(0, LogModel::TextColumn));
    const QRect shortCell = view->visualRect(browser.model()->index(2, LogModel::TextColumn));
    QVERIFY(longCell.width() > 100);
    // 400 characters are wider than the column: the short line fills it too.
    QVERIFY(view->fontMetrics().horizontalAdvance(QString::fromLatin1(start)) > longCell.width());
    const QImage a = view->viewport()->grab(longCell).toImage();
    const QImage b = view->viewport()->grab(shortCell).toImage();
    QCOMPARE(a, b);
    // And the text runs to the cell's right edge: the band just left of it holds
    // glyph pixels, not the background alone.
    const QImage band = a.copy(a.width() - 40, 0, 30, a.height());
    QSet<QRgb> colours;
    for (int y = 0; y < band.height(); ++y)
        for (int x = 0; x < band.width(); ++x)
            colours.insert(band.pixel(x, y));
    QVERIFY2(colours.size() > 1, "the end of the cell is empty: the line was cut before the column's edge");
}

void TestLogBrowser::largeLogStaysResponsive()
{
    // Ten full archives of 16 MB and a current, as "multilog s16777215 n11" leaves them;
    // the figures are printed for people and tazuna-logbench, not judged here.
    QTemporaryDir dir;
    const QStringList names = bench::writeLogDirectory(dir.path(), 10, 16 << 20);
    QCOMPARE(names.size(), 11);
    // current holds one block of lines and every archive sixteen.
    const int linesPerBlock = static_cast<int>(tz::test::readFile(dir.filePath(QStringLiteral("current"))).count('\n'));
    QVERIFY(linesPerBlock > 0);
    const bench::LogFigures f = bench::measureLogBrowser(dir.path(), names, QStringLiteral("request 7777 "));
    QVERIFY2(f.ok, qPrintable(f.error));
    QCOMPARE(f.lines, linesPerBlock * 161);
    QCOMPARE(f.matches, 161);
    QCOMPARE(f.arrivedFound, f.arrived);
    qInfo("first screen %.0f ms, indexed %d lines in %.0f ms, full search %.0f ms, longest UI-thread block %.0f ms",
          f.firstScreenMs, f.lines, f.indexedMs, f.searchFullMs, f.longestBlockMs);
}

QTEST_MAIN(TestLogBrowser)
#include "test_logbrowser.moc"
