// SPDX-License-Identifier: MIT
// softlimit's letters, its 0.76 number rules and the clamp to the hard limit.
#include "resourcelimits.h"

#include <QTest>

#include <sys/resource.h>

using namespace tz;

namespace {

rlimit current(int resource)
{
    rlimit r{};
    ::getrlimit(static_cast<__rlimit_resource_t>(resource), &r);
    return r;
}

} // namespace

class TestResourceLimits : public QObject {
    Q_OBJECT

private slots:
    void lettersMapToResources()
    {
        const auto m = limitResources('m');
        QCOMPARE(std::vector<int>(m.begin(), m.end()),
                 (std::vector<int>{RLIMIT_DATA, RLIMIT_STACK, RLIMIT_MEMLOCK, RLIMIT_AS}));
        for (char c : softlimitOptions) {
            if (c != ':')
                QVERIFY2(!limitResources(c).empty(), std::string(1, c).c_str());
        }
        QVERIFY(limitResources('z').empty());
        QCOMPARE(limitResources('o')[0], int(RLIMIT_NOFILE));
        QCOMPARE(limitResources('t')[0], int(RLIMIT_CPU));
    }

    void numbers()
    {
        QCOMPARE(parseLimitValue("1234")->amount, 1234ul);
        QVERIFY(!parseLimitValue("1234")->hard);
        QCOMPARE(parseLimitValue("")->amount, 0ul);
        QVERIFY(parseLimitValue("=")->hard);
        QVERIFY(!parseLimitValue("12x"));
        QVERIFY(!parseLimitValue("+5"));
        QVERIFY(!parseLimitValue(" 5"));
        QVERIFY(!parseLimitValue("=="));
        // 2^64 + 10 wraps to 10, as 0.76's scan_ulong does.
        QCOMPARE(parseLimitValue("18446744073709551626")->amount, 10ul);
    }

    void lowersAndRestoresTheSoftLimit()
    {
        const rlimit before = current(RLIMIT_CORE);
        QVERIFY(applySoftLimit(RLIMIT_CORE, LimitValue{false, 0}).ok());
        QCOMPARE(current(RLIMIT_CORE).rlim_cur, rlim_t(0));
        QCOMPARE(current(RLIMIT_CORE).rlim_max, before.rlim_max);
        QVERIFY(applySoftLimit(RLIMIT_CORE, LimitValue{true, 0}).ok());
        QCOMPARE(current(RLIMIT_CORE).rlim_cur, before.rlim_max);
        rlimit restore = before;
        ::setrlimit(RLIMIT_CORE, &restore);
    }

    void clampsToTheHardLimit()
    {
        const rlimit before = current(RLIMIT_NOFILE);
        QVERIFY(applySoftLimit(RLIMIT_NOFILE, LimitValue{false, ~0ul}).ok());
        QCOMPARE(current(RLIMIT_NOFILE).rlim_cur, before.rlim_max);
        rlimit restore = before;
        ::setrlimit(RLIMIT_NOFILE, &restore);
    }

    void failureNamesTheCall()
    {
        const auto r = applySoftLimit(-1, LimitValue{false, 1});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().describe(), std::string("getrlimit failed: invalid argument"));
    }
};

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "test_resourcelimits.moc"
