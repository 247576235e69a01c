// SPDX-License-Identifier: MIT
// Golden tests: each case runs once with our programs and once with Debian's
// daemontools, and stdout, stderr and exit status must match after masking.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace tz::test;

namespace {

struct Case {
    QString name;
    QString script;
};

// The case file format is described in golden/README.md.
QList<Case> loadCases(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QList<Case> cases;
    for (const QByteArray &raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.startsWith(QLatin1String("@case "))) {
            cases.append({line.mid(6).trimmed(), {}});
        } else if (!cases.isEmpty()) {
            cases.last().script += line + QLatin1Char('\n');
        }
    }
    return cases;
}

// Times, pids and the temporary folder differ between two runs by nature; nothing
// else may.
QByteArray mask(QByteArray text, const QString &tmp)
{
    QString s = QString::fromUtf8(text);
    s.replace(tmp, QStringLiteral("$T"));
    static const QRegularExpression pid(QStringLiteral("pid [0-9]+"));
    static const QRegularExpression secs(QStringLiteral("[0-9]+ seconds"));
    static const QRegularExpression stamp(QStringLiteral("@[0-9a-f]{24}"));
    static const QRegularExpression date(QStringLiteral("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}"));
    s.replace(pid, QStringLiteral("pid N"));
    s.replace(secs, QStringLiteral("N seconds"));
    s.replace(stamp, QStringLiteral("@STAMP"));
    s.replace(date, QStringLiteral("DATE"));
    return s.toUtf8();
}

ProcessResult runCase(const QString &script, const QString &pathPrefix, QString *tmpPath)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        qFatal("no temporary directory");
    *tmpPath = dir.path();
    RunOptions options;
    options.workingDirectory = dir.path();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), pathPrefix + QStringLiteral(":/usr/bin:/bin:/usr/sbin:/sbin"));
    env.insert(QStringLiteral("T"), dir.path());
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    options.environment = env;
    options.timeoutMs = 30000;
    ProcessResult r = runShell(script, options);
    // Let the case's own leftovers (supervise, svscan) finish dying before the
    // temporary tree goes away, so nothing recreates files in it.
    QTest::qWait(10);
    return r;
}

} // namespace

class TestGolden : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_casesFile = qEnvironmentVariable("TAZUNA_GOLDEN_CASES");
        QVERIFY2(!m_casesFile.isEmpty(), "TAZUNA_GOLDEN_CASES is not set");
        // The reference is a test dependency, installed by .ci/run: its absence fails.
        QVERIFY2(QFile::exists(referencePath(QStringLiteral("svc"))),
                 "Debian's daemontools is not installed (apt-get install daemontools)");
        // Our programs come first on PATH in one run; Debian's sit in /usr/bin.
        m_ourPath = toolDir();
        m_refPath = m_refDir.path();
        // Debian's programs alone, so a script that calls "svc" gets theirs even if
        // ours were installed somewhere on PATH.
        for (const char *prog : {"svscan", "svscanboot", "supervise", "svc", "svstat", "svok", "multilog", "tai64n",
                                 "tai64nlocal", "setuidgid", "envuidgid", "envdir", "softlimit", "setlock", "fghack",
                                 "pgrphack", "readproctitle"}) {
            QFile::link(referencePath(QString::fromLatin1(prog)), m_refDir.filePath(QString::fromLatin1(prog)));
        }
    }

    void golden_data()
    {
        QTest::addColumn<QString>("script");
        const QList<Case> cases = loadCases(qEnvironmentVariable("TAZUNA_GOLDEN_CASES"));
        QVERIFY2(!cases.isEmpty(), "no @case in the case file");
        for (const Case &c : cases)
            QTest::newRow(qPrintable(c.name)) << c.script;
    }

    void golden()
    {
        QFETCH(QString, script);
        QString oursTmp, refTmp;
        const ProcessResult ours = runCase(script, m_ourPath, &oursTmp);
        const ProcessResult ref = runCase(script, m_refPath, &refTmp);
        QVERIFY2(!ref.timedOut, "the reference timed out: the case itself is wrong");
        QVERIFY2(!ours.timedOut, "our programs timed out");
        QCOMPARE(mask(ours.err, oursTmp), mask(ref.err, refTmp));
        QCOMPARE(mask(ours.out, oursTmp), mask(ref.out, refTmp));
        QCOMPARE(ours.exitCode, ref.exitCode);
    }

private:
    QString m_casesFile;
    QString m_ourPath;
    QString m_refPath;
    QTemporaryDir m_refDir;
};

QTEST_GUILESS_MAIN(TestGolden)
#include "test_golden.moc"
