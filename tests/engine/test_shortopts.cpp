// SPDX-License-Identifier: MIT
// sgetopt's rules: clusters, attached and separate arguments, "-", "--" and the two problems.
#include "shortopts.h"

#include <QTest>

#include <string>
#include <vector>

using namespace tz;
using Kind = ShortOptions::Kind;

namespace {

struct Scan {
    std::string events; // letters, '?' for illegal, ':' for a missing argument, args in brackets
    int index = 0;
};

Scan scan(std::vector<std::string> words, std::string_view spec)
{
    std::vector<char *> argv;
    for (std::string &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    ShortOptions options(static_cast<int>(words.size()), argv.data(), spec);
    Scan s;
    for (auto e = options.next(); e.kind != Kind::End; e = options.next()) {
        if (e.kind == Kind::Illegal) {
            s.events += "?";
            s.events += e.letter;
            break;
        }
        if (e.kind == Kind::MissingArgument) {
            s.events += ":";
            s.events += e.letter;
            break;
        }
        s.events += e.letter;
        if (e.arg)
            s.events += "[" + std::string(e.arg) + "]";
    }
    s.index = options.index();
    return s;
}

} // namespace

class TestShortOptions : public QObject {
    Q_OBJECT

private slots:
    void clusterAndOperands()
    {
        const Scan s = scan({"setlock", "-nx", "-X", "file", "prog"}, "nNxX");
        QCOMPARE(s.events, std::string("nxX"));
        QCOMPARE(s.index, 3);
    }

    void attachedAndSeparateArguments()
    {
        const Scan s = scan({"softlimit", "-o5", "-t", "7", "-c", "", "child"}, "c:o:t:");
        QCOMPARE(s.events, std::string("o[5]t[7]c[]"));
        QCOMPARE(s.index, 6);
    }

    void argumentInsideCluster()
    {
        const Scan s = scan({"p", "-no9", "x"}, "no:");
        QCOMPARE(s.events, std::string("no[9]"));
        QCOMPARE(s.index, 2);
    }

    void loneDashIsAnOperand()
    {
        const Scan s = scan({"p", "-n", "-", "x"}, "n");
        QCOMPARE(s.events, std::string("n"));
        QCOMPARE(s.index, 2);
    }

    void doubleDashIsConsumed()
    {
        const Scan s = scan({"p", "--", "-n"}, "n");
        QCOMPARE(s.events, std::string());
        QCOMPARE(s.index, 2);
    }

    void illegalOption()
    {
        QCOMPARE(scan({"p", "-nq"}, "n").events, std::string("n?q"));
        // ':' in the spec is never an option letter.
        QCOMPARE(scan({"p", "-:"}, "o:").events, std::string("?:"));
    }

    void missingArgument()
    {
        QCOMPARE(scan({"p", "-o"}, "o:").events, std::string(":o"));
    }

    void problemTexts()
    {
        QCOMPARE(ShortOptions::problemText(Kind::Illegal), std::string_view("illegal option -- "));
        QCOMPARE(ShortOptions::problemText(Kind::MissingArgument), std::string_view("option requires an argument -- "));
    }

    void programNameIsTheBasename()
    {
        QCOMPARE(programName("/usr/bin/softlimit"), std::string_view("softlimit"));
        QCOMPARE(programName("setlock"), std::string_view("setlock"));
        QCOMPARE(programName("dir/"), std::string_view(""));
        QCOMPARE(programName(nullptr), std::string_view(""));
    }
};

QTEST_GUILESS_MAIN(TestShortOptions)
#include "test_shortopts.moc"
