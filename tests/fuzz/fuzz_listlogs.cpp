// SPDX-License-Identifier: MIT
// Fuzzes ListLogs on log files a service's user writes: one entry per file, sizes as on disk, stamps only from valid labels.
#include "fuzzcheck.h"
#include "servicetree.h"
#include "tai64n.h"

#include "diag.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

namespace {

std::string g_root;
std::string g_main;
ServiceTree *g_tree = nullptr;

void put(const std::string &path, std::string_view text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    FUZZ_CHECK(fd >= 0 && writeAll(fd, text));
    ::close(fd);
}

// The first label's Unix milliseconds as the helper reports them; 0 when none.
qint64 labelMs(std::string_view text)
{
    if (text.size() < tai64nTextSize)
        return 0;
    const auto t = parseTai64n(text.substr(0, tai64nTextSize));
    if (!t)
        return 0;
    const timespec ts = t->toUnix();
    return static_cast<qint64>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    char tmpl[] = "/tmp/tazuna-fuzz-listlogs.XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl));
    g_root = tmpl;
    for (const char *d : {"/service", "/service/svc", "/service/svc/log", "/service/svc/log/main"})
        FUZZ_CHECK(::mkdir((g_root + d).c_str(), 0755) == 0);
    g_main = g_root + "/service/svc/log/main";
    g_tree = new ServiceTree(QString::fromStdString(g_root + "/service"));
    FUZZ_CHECK(g_tree->open().isEmpty());
    std::atexit([] {
        const std::string cmd = "rm -rf -- '" + g_root + "'";
        if (std::system(cmd.c_str()) != 0)
            std::fprintf(stderr, "could not remove %s\n", g_root.c_str());
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // current 0xff archive: what the service wrote, as multilog keeps it.
    const std::string_view in = fuzz::asText(data, size);
    const std::size_t cut = in.find('\xff');
    const std::string_view current = in.substr(0, cut);
    const std::string_view archive = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
    put(g_main + "/current", current);
    put(g_main + "/@400000006000000000000001.s", archive);

    auto logs = g_tree->listLogs(QStringLiteral("svc"));
    FUZZ_CHECK(logs.ok());
    const LogFileInfoList &list = logs.value();
    FUZZ_CHECK(list.size() == 2);
    FUZZ_CHECK(list.at(0).name == QLatin1String("@400000006000000000000001.s") && list.at(1).name == QLatin1String("current"));
    FUZZ_CHECK(list.at(0).size == archive.size() && list.at(1).size == current.size());
    FUZZ_CHECK(list.at(1).firstMs == labelMs(current));
    FUZZ_CHECK(list.at(0).firstMs == labelMs(archive));
    for (const LogFileInfo &f : list)
        FUZZ_CHECK(f.firstMs >= 0 && f.lastMs >= 0);
    return 0;
}
