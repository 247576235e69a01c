// SPDX-License-Identifier: MIT
// Tests for multilog script parsing: actions, settings in force per directory, 0.76's leniency.
#include "logscript.h"

#include <QTest>

#include <vector>

namespace {

tz::LogScript parse(std::vector<std::string_view> args) { return tz::parseLogScript(args); }

} // namespace

class TestLogScript : public QObject {
    Q_OBJECT

private slots:
    void defaults()
    {
        const tz::LogScript s = parse({"./main"});
        QVERIFY(!s.timestamp);
        QCOMPARE(s.dirs.size(), std::size_t{1});
        QCOMPARE(s.dirs[0].path, std::string("./main"));
        QCOMPARE(s.dirs[0].maxSize, std::uint64_t{99999});
        QCOMPARE(s.dirs[0].count, std::uint64_t{10});
        QVERIFY(!s.dirs[0].processor);
        QVERIFY(s.plain());
    }

    void timestampOnlyFirst()
    {
        QVERIFY(parse({"t", "./d"}).timestamp);
        QVERIFY(parse({"tanything", "./d"}).timestamp);
        QVERIFY(!parse({"e", "t", "./d"}).timestamp);
        QVERIFY(!parse({}).timestamp);
        QVERIFY(!parse({"", "t"}).timestamp);
    }

    void settingsApplyToLaterDirectories()
    {
        const tz::LogScript s = parse({"s5000", "n3", "./a", "s8000", "!gzip", "/abs/b", "n7", "./c"});
        QCOMPARE(s.dirs.size(), std::size_t{3});
        QCOMPARE(s.dirs[0].maxSize, std::uint64_t{5000});
        QCOMPARE(s.dirs[0].count, std::uint64_t{3});
        QVERIFY(!s.dirs[0].processor);
        QCOMPARE(s.dirs[1].path, std::string("/abs/b"));
        QCOMPARE(s.dirs[1].maxSize, std::uint64_t{8000});
        QCOMPARE(*s.dirs[1].processor, std::string("gzip"));
        QCOMPARE(s.dirs[2].count, std::uint64_t{7});
        QCOMPARE(*s.dirs[2].processor, std::string("gzip"));
    }

    void limitsClamp()
    {
        QCOMPARE(parse({"s1", "./d"}).dirs[0].maxSize, tz::logMinSize);
        QCOMPARE(parse({"s4095", "./d"}).dirs[0].maxSize, std::uint64_t{4096});
        QCOMPARE(parse({"s4097", "./d"}).dirs[0].maxSize, std::uint64_t{4097});
        QCOMPARE(parse({"s16777216", "./d"}).dirs[0].maxSize, tz::logMaxSize);
        QCOMPARE(parse({"s999999999999", "./d"}).dirs[0].maxSize, tz::logMaxSize);
        QCOMPARE(parse({"n0", "./d"}).dirs[0].count, std::uint64_t{2});
        QCOMPARE(parse({"n1", "./d"}).dirs[0].count, std::uint64_t{2});
        QCOMPARE(parse({"n2", "./d"}).dirs[0].count, std::uint64_t{2});
        QCOMPARE(parse({"n1000", "./d"}).dirs[0].count, std::uint64_t{1000});
    }

    // 0.76 rejects nothing: what would be errors elsewhere read as numbers or vanish.
    void malformedIsLenient()
    {
        QCOMPARE(parse({"sabc", "./d"}).dirs[0].maxSize, std::uint64_t{4096}); // no digits: 0, clamped
        QCOMPARE(parse({"s12x34", "./d"}).dirs[0].maxSize, std::uint64_t{4096}); // leading digits only
        QCOMPARE(parse({"s5000x", "./d"}).dirs[0].maxSize, std::uint64_t{5000});
        QCOMPARE(parse({"n", "./d"}).dirs[0].count, std::uint64_t{2});
        QCOMPARE(parse({"n-5", "./d"}).dirs[0].count, std::uint64_t{2});
        // Overflow wraps like scan_ulong: 2^64 + 5000 reads as 5000.
        QCOMPARE(parse({"s18446744073709556616", "./d"}).dirs[0].maxSize, std::uint64_t{5000});
        const tz::LogScript s = parse({"x", "?", "", "dir", "Tz", "./d"});
        QCOMPARE(s.dirs.size(), std::size_t{1});
        QVERIFY(s.actions.size() == 1 && s.actions[0].kind == tz::LogActionKind::Directory);
    }

    void actionsInOrder()
    {
        const tz::LogScript s = parse({"t", "-*", "+*fatal*", "e", "=status", "./a", "-*x*", "eXtra", "./b", "=st2"});
        QVERIFY(s.timestamp);
        QVERIFY(!s.plain());
        using K = tz::LogActionKind;
        const std::vector<K> kinds{K::Deselect, K::Select, K::Alert, K::Status, K::Directory,
                                   K::Deselect, K::Alert, K::Directory, K::Status};
        QCOMPARE(s.actions.size(), kinds.size());
        for (std::size_t i = 0; i < kinds.size(); ++i)
            QVERIFY(s.actions[i].kind == kinds[i]);
        QCOMPARE(s.actions[0].pattern, std::string("*"));
        QCOMPARE(s.actions[1].pattern, std::string("*fatal*"));
        QCOMPARE(s.actions[3].index, std::size_t{0});
        QCOMPARE(s.actions[8].index, std::size_t{1});
        QCOMPARE(s.actions[7].index, std::size_t{1});
        QCOMPARE(s.statusFiles, (std::vector<std::string>{"status", "st2"}));
    }

    void emptyProcessorIsSet()
    {
        const tz::LogScript s = parse({"!", "./d"});
        QVERIFY(s.dirs[0].processor.has_value());
        QVERIFY(s.dirs[0].processor->empty());
    }

    void emptyScript()
    {
        const tz::LogScript s = parse({});
        QVERIFY(s.dirs.empty());
        QVERIFY(s.actions.empty());
        QVERIFY(s.plain());
    }
};

QTEST_GUILESS_MAIN(TestLogScript)
#include "test_logscript.moc"
