// SPDX-License-Identifier: MIT
// tazuna-logbench: prints the log browser's and the service table's figures, one "bench" line each.
#include "logbench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

namespace {

void print(const char *figure, double value, const char *unit)
{
    std::printf("bench %s impl=tazuna value=%.1f unit=%s\n", figure, value, unit);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "tazuna-logbench: fatal: %s\n", qPrintable(message));
    return 111;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the Tazuna log browser on a large multilog directory."));
    parser.addHelpOption();
    const QCommandLineOption logs(QStringLiteral("logs"), QStringLiteral("A multilog directory to read (left unchanged); "
                                                                         "without it one is written to a temporary folder."),
                                  QStringLiteral("dir"));
    const QCommandLineOption archives(QStringLiteral("archives"), QStringLiteral("Archives to write (default 10)."),
                                      QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption size(QStringLiteral("size-mb"), QStringLiteral("Size of each written archive in MB (default 16)."),
                                  QStringLiteral("mb"), QStringLiteral("16"));
    parser.addOptions({logs, archives, size});
    parser.process(app);

    QTemporaryDir work;
    if (!work.isValid())
        return fail(QStringLiteral("cannot create a temporary folder"));
    QStringList names;
    if (parser.isSet(logs)) {
        // The given archives are read in place; current is copied, because the live part
        // of the measurement appends to it.
        const QString from = QDir(parser.value(logs)).absolutePath();
        names = tz::bench::listLogDirectory(from);
        if (names.isEmpty() || names.last() != QLatin1String("current"))
            return fail(QStringLiteral("%1 holds no multilog current file").arg(from));
        for (const QString &n : names) {
            const QString source = from + QLatin1Char('/') + n;
            const QString target = work.filePath(n);
            if (!(n == QLatin1String("current") ? QFile::copy(source, target) : QFile::link(source, target)))
                return fail(QStringLiteral("cannot set up %1 from %2").arg(target, source));
        }
    } else {
        bool okCount = false;
        bool okSize = false;
        const int count = parser.value(archives).toInt(&okCount);
        const qint64 mb = parser.value(size).toLongLong(&okSize);
        if (!okCount || count < 0 || count > 1000 || !okSize || mb < 1 || mb > 4095)
            return fail(QStringLiteral("--archives takes 0 to 1000 and --size-mb 1 to 4095"));
        names = tz::bench::writeLogDirectory(work.path(), count, mb << 20);
        if (names.isEmpty())
            return fail(QStringLiteral("cannot write the log files into %1").arg(work.path()));
    }

    const tz::bench::LogFigures f = tz::bench::measureLogBrowser(work.path(), names, QStringLiteral("request 7777 "));
    if (!f.ok)
        return fail(f.error);
    print("logbrowser.first_screen", f.firstScreenMs, "ms");
    print("logbrowser.indexed", f.indexedMs, "ms");
    print("logbrowser.lines", f.lines, "count");
    print("logbrowser.search_full", f.searchFullMs, "ms");
    print("logbrowser.search_matches", f.matches, "count");
    print("logbrowser.search_live_missed", f.arrived - f.arrivedFound, "count");
    print("logbrowser.longest_block", f.longestBlockMs, "ms");
    print("logbrowser.longest_block_index", f.blockIndexMs, "ms");
    print("logbrowser.longest_block_scroll", f.blockScrollMs, "ms");
    print("logbrowser.longest_block_search", f.blockSearchMs, "ms");
    print("logbrowser.longest_block_live", f.blockLiveMs, "ms");
    print("model.update_1000", tz::bench::measureModelUpdate(1000), "ms");
    return 0;
}
