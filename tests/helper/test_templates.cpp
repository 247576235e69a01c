// SPDX-License-Identifier: MIT
// The renderer without a bus: shell quoting through a real sh, rendered scripts, the config file, log lines.
#include "config.h"
#include "errors.h"
#include "logline.h"
#include "templates.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>

using namespace tz;
using namespace tz::test;

class TestTemplates : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void quotingRoundTripsEveryByte();
    void rendersTheScriptAroundTheCommand();
    void rendersNoDropForRootAndNoLoggerWhenOff();
    void refusesBadValues();
    void configFileIsStrict();
    void decodesLogLines();

private:
    QList<Template> m_templates;
    const Template *byId(const QString &id) const
    {
        for (const Template &t : m_templates)
            if (t.id == id)
                return &t;
        return nullptr;
    }
};

void TestTemplates::initTestCase()
{
    QCOMPARE(loadTemplates(QStringLiteral(TAZUNA_SOURCE_DIR "/helper/templates"), m_templates), QStringList());
    QCOMPARE(m_templates.size(), 5);
}

void TestTemplates::quotingRoundTripsEveryByte()
{
    // Every byte but NUL alone and in company, and the usual suspects: sh must
    // print each back unchanged.
    QList<QByteArray> samples;
    for (int b = 1; b < 256; ++b)
        samples << QByteArray(1, char(b)) << "x" + QByteArray(1, char(b)) + "'y'" + QByteArray(1, char(b));
    samples << "'" << "''" << "'\\''" << "$(id)" << "`id`" << "a\nb\n" << "${IFS}" << "\\" << "-n" << "";
    QByteArray script;
    QByteArray expected;
    for (const QByteArray &s : samples) {
        script += "printf '%s\\0' " + shellQuote(s) + '\n';
        expected += s + '\0';
    }
    RunOptions o;
    o.input = script;
    const ProcessResult out = run(QStringLiteral("/bin/sh"), {QStringLiteral("-s")}, o);
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(out.out, expected);
}

void TestTemplates::rendersTheScriptAroundTheCommand()
{
    const passwd *nobody = ::getpwnam("nobody");
    QVERIFY(nobody);
    QTemporaryDir dir;
    const ParameterMap p{{QStringLiteral("command"), QStringLiteral("true")},
                         {QStringLiteral("arguments"), QStringLiteral("[\"a b\", \"it's\"]")},
                         {QStringLiteral("user"), QStringLiteral("nobody")},
                         {QStringLiteral("directory"), dir.path()},
                         {QStringLiteral("environment"), QStringLiteral("{\"GREETING\": \"hi there\"}")},
                         {QStringLiteral("limit-memory"), QStringLiteral("100000000")},
                         {QStringLiteral("limit-files"), QStringLiteral("64")},
                         {QStringLiteral("limit-processes"), QStringLiteral("20")},
                         {QStringLiteral("log-size"), QStringLiteral("5000")},
                         {QStringLiteral("log-count"), QStringLiteral("3")},
                         {QStringLiteral("log-timestamps"), QStringLiteral("false")},
                         {QStringLiteral("start"), QStringLiteral("false")},
                         {QStringLiteral("backoff"), QStringLiteral("30")}};
    auto r = render(*byId(QStringLiteral("foreground")), p, 0);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.refusal().message));
    const Rendered &out = r.value();
    QCOMPARE(out.run, QByteArray("#!/bin/sh\n# Rendered by tazuna-helper from the template foreground.\nexec 2>&1\n"
                                 "cd '") + QFile::encodeName(dir.path()) + "' || exit 111\n"
                                 "exec setuidgid 'nobody' softlimit -m 100000000 -o 64 -p 20 /usr/bin/env 'GREETING=hi there' "
                                 "'/usr/bin/true' 'a b' 'it'\\''s'\n");
    QCOMPARE(out.logRun, QByteArray("#!/bin/sh\n# Rendered by tazuna-helper.\nexec setuidgid 'nobody' multilog s5000 n3 ./main\n"));
    QVERIFY(!out.startNow);
    QCOMPARE(out.backoff, QByteArray("max=30\n"));
    QCOMPARE(out.uid, nobody->pw_uid);
    QCOMPARE(out.meta.user, QStringLiteral("nobody"));
    QCOMPARE(out.meta.owner, 0u);
    QCOMPARE(ServiceMeta::decode(out.meta.encode()).logCount, 3u);

    // The periodic job's loop is a literal word of the template; the interval and
    // the command follow as its $0 and $@.
    auto periodic = render(*byId(QStringLiteral("periodic")),
                           {{QStringLiteral("command"), QStringLiteral("/bin/echo")}, {QStringLiteral("interval"), QStringLiteral("7")},
                            {QStringLiteral("user"), QStringLiteral("root")}},
                           0);
    QVERIFY(periodic.ok());
    QVERIFY(periodic.value().run.contains("exec '/bin/sh' '-c' 'while :; do \"$@\" || echo \"exit status $?\"; sleep \"$0\" || exit 111; done' '7' '/bin/echo'\n"));
}

void TestTemplates::rendersNoDropForRootAndNoLoggerWhenOff()
{
    auto r = render(*byId(QStringLiteral("foreground")),
                    {{QStringLiteral("command"), QStringLiteral("/bin/true")}, {QStringLiteral("user"), QStringLiteral("root")},
                     {QStringLiteral("log"), QStringLiteral("no")}},
                    0);
    QVERIFY(r.ok());
    QVERIFY(!r.value().run.contains("setuidgid"));
    QVERIFY(r.value().run.endsWith("exec '/bin/true'\n"));
    QVERIFY(!r.value().logging);
    QVERIFY(r.value().logRun.isEmpty());
    // An empty user is the caller.
    auto mine = render(*byId(QStringLiteral("foreground")), {{QStringLiteral("command"), QStringLiteral("/bin/true")}},
                       ::getpwnam("nobody")->pw_uid);
    QVERIFY(mine.ok());
    QCOMPARE(mine.value().meta.user, QStringLiteral("nobody"));
}

void TestTemplates::refusesBadValues()
{
    const Template &fg = *byId(QStringLiteral("foreground"));
    auto refusal = [&](const ParameterMap &p) {
        auto r = render(fg, p, 0);
        return r.ok() ? QString() : QLatin1String(r.refusal().name);
    };
    const QString invalid = QLatin1String(errors::invalidParameter);
    const ParameterMap base{{QStringLiteral("command"), QStringLiteral("/bin/true")}, {QStringLiteral("user"), QStringLiteral("root")}};
    QCOMPARE(refusal({}), invalid); // command is required
    for (const auto &[key, value] : std::initializer_list<std::pair<const char *, const char *>>{
             {"arguments", "not json"},  {"arguments", "[1, 2]"},      {"arguments", "{\"a\": \"b\"}"},
             {"environment", "[\"x\"]"}, {"environment", "{\"1X\": \"v\"}"}, {"environment", "{\"A;B\": \"v\"}"},
             {"limit-memory", "-1"},    {"limit-memory", "1e9"},       {"limit-files", "99999999"},
             {"log", "maybe"},          {"log-count", "1"},            {"log-size", "16777216"},
             {"directory", "relative"}, {"directory", "/etc/passwd"},  {"directory", "/no/such/dir"},
             {"command", "/etc"},       {"backoff", "86401"},          {"user", "a b"},
             {"command", "/bin/true=x"},
             {"no-such-key", "x"}}) {
        ParameterMap p = base;
        p.insert(QLatin1String(key), QLatin1String(value));
        QVERIFY2(refusal(p) == invalid, key);
    }
    ParameterMap p = base;
    p.insert(QStringLiteral("user"), QStringLiteral("no-such-user-here"));
    QCOMPARE(refusal(p), QLatin1String(errors::noSuchUser));
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("data")), "not a program\n", 0644);
    p = base;
    p.insert(QStringLiteral("command"), dir.filePath(QStringLiteral("data")));
    QCOMPARE(refusal(p), QLatin1String(errors::notExecutable));
    const Template &tunnel = *byId(QStringLiteral("ssh-tunnel"));
    auto t = render(tunnel, {{QStringLiteral("destination"), QStringLiteral("-oProxyCommand=sh")}, {QStringLiteral("local-port"), QStringLiteral("1")},
                             {QStringLiteral("target-port"), QStringLiteral("2")}, {QStringLiteral("user"), QStringLiteral("root")}},
                    0);
    QVERIFY(!t.ok()); // an option where a host belongs
}

void TestTemplates::configFileIsStrict()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("helper.conf"));
    writeFile(path, "# a comment\nscan-dir = /srv/service\n\ntools-dir=/opt/t\nsvscan-log = /var/log/svscan.log\n");
    HelperConfig c;
    QCOMPARE(loadConfigFile(path, c), QString());
    QCOMPARE(c.scanDir, QStringLiteral("/srv/service"));
    QCOMPARE(c.toolsDir, QStringLiteral("/opt/t"));
    QCOMPARE(c.svscanLog, QStringLiteral("/var/log/svscan.log"));
    writeFile(path, "log-grant-seconds = 30\nmax-open-log-per-second = 0\n");
    QCOMPARE(loadConfigFile(path, c), QString());
    QCOMPARE(c.logGrantSeconds, 30u);
    QCOMPARE(c.maxOpenLogPerSecond, 0u);
    writeFile(path, "log-grant-seconds = -1\n");
    QVERIFY(loadConfigFile(path, c).contains(QLatin1String("log-grant-seconds expects a whole number")));
    writeFile(path, "scan-dirr = /x\n");
    QVERIFY(loadConfigFile(path, c).contains(QLatin1String("unknown key")));
    writeFile(path, "just words\n");
    QVERIFY(!loadConfigFile(path, c).isEmpty());
    QVERIFY(!loadConfigFile(dir.filePath(QStringLiteral("absent")), c).isEmpty());
}

void TestTemplates::decodesLogLines()
{
    // 2^62 + 10 + 1700000000 seconds and 500 ms.
    const LogLine l = decodeLogLine("@400000006553f10a1dcd6500 hello world\n");
    QCOMPARE(l.unixMs, std::optional<qint64>(1700000000500));
    QCOMPARE(l.text, QStringLiteral("hello world"));
    const LogLine plain = decodeLogLine("no stamp here");
    QVERIFY(!plain.unixMs);
    QCOMPARE(plain.text, QStringLiteral("no stamp here"));
    // A broken label is text, not a stamp: the line keeps it.
    const LogLine broken = decodeLogLine("@zz0000006553f10a1dcd6500 x");
    QVERIFY(!broken.unixMs);
    QCOMPARE(broken.text, QStringLiteral("@zz0000006553f10a1dcd6500 x"));
}

QTEST_GUILESS_MAIN(TestTemplates)
#include "test_templates.moc"
