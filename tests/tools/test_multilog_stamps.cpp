// SPDX-License-Identifier: MIT
// Behaviour tests for tai64n and tai64nlocal as filters on a live stream.
#include "testsupport.h"

#include "tai64n.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace tz::test;

namespace {

tz::Tai64n stampOf(const QByteArray &line)
{
    const auto t = tz::parseTai64n(std::string_view(line.constData(), std::min<qsizetype>(line.size(), 25)));
    if (!t)
        qFatal("no stamp in %s", line.constData());
    return *t;
}

QByteArray readUntil(QProcess &p, int bytes)
{
    QByteArray out;
    waitFor([&] {
        out += p.readAllStandardOutput();
        return out.size() >= bytes;
    });
    return out;
}

} // namespace

class TestMultilogStamps : public QObject {
    Q_OBJECT

private slots:
    // Each line is stamped when its first byte arrives, and what arrived is
    // passed on before tai64n waits for more: a partial line is not held back.
    void tai64nStampsAsLinesArrive()
    {
        QProcess p;
        p.start(toolPath("tai64n"), {});
        QVERIFY(p.waitForStarted());
        const tz::Tai64n before = tz::Tai64n::now();
        p.write("abc");
        const QByteArray first = readUntil(p, 29);
        QCOMPARE(first.size(), 29);
        QCOMPARE(first.mid(25), QByteArray(" abc"));
        const tz::Tai64n t1 = stampOf(first);
        QVERIFY(before <= t1 && t1 <= tz::Tai64n::now());

        p.write("def\nnext\n");
        const QByteArray rest = readUntil(p, 4 + 31);
        QCOMPARE(rest.left(4), QByteArray("def\n"));
        QCOMPARE(rest.mid(4 + 25), QByteArray(" next\n"));
        QVERIFY(t1 < stampOf(rest.mid(4)));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished());
        QCOMPARE(p.exitCode(), 0);
    }

    void tai64nFailsOnClosedOutput()
    {
        const ProcessResult r = runShell(QStringLiteral("echo x | %1 >&-").arg(toolPath("tai64n")));
        QCOMPARE(r.exitCode, 111);
        QCOMPARE(r.err, QByteArray());
    }

    // tai64n | tai64nlocal shows the time the line was stamped, in local time.
    void roundTripShowsNow()
    {
        RunOptions options;
        options.input = "hello\n";
        options.environment.insert("TZ", "UTC");
        const ProcessResult r = runShell(QStringLiteral("%1 | %2").arg(toolPath("tai64n"), toolPath("tai64nlocal")), options);
        QCOMPARE(r.exitCode, 0);
        static const QRegularExpression shape(QStringLiteral("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)\\.\\d{9} hello\\n$"));
        const auto m = shape.match(QString::fromLatin1(r.out));
        QVERIFY2(m.hasMatch(), r.out.constData());
        QDateTime when = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        when.setTimeSpec(Qt::UTC);
        QVERIFY(qAbs(when.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }

    // A long stream of labels converts line by line, untouched lines pass through.
    void tai64nlocalStream()
    {
        QByteArray input;
        QByteArray expected;
        for (int i = 0; i < 20000; ++i) {
            input += "@400000000000000a00000000 line " + QByteArray::number(i) + "\nplain " + QByteArray::number(i) + "\n";
            expected += "1970-01-01 00:00:00.000000000 line " + QByteArray::number(i) + "\nplain " + QByteArray::number(i) + "\n";
        }
        RunOptions options;
        options.input = input;
        options.environment.insert("TZ", "UTC");
        const ProcessResult r = run(toolPath("tai64nlocal"), {}, options);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, expected);
    }
};

QTEST_GUILESS_MAIN(TestMultilogStamps)
#include "test_multilog_stamps.moc"
