// SPDX-License-Identifier: MIT
// Fuzzes the template file loader and renders what it accepts: a file is either refused with a reason or yields a template whose script quotes every word.
#include "fuzzcheck.h"
#include "shwords.h"
#include "templates.h"

#include "diag.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

namespace {

std::string g_dir;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    char tmpl[] = "/tmp/tazuna-fuzz-templates.XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl));
    g_dir = tmpl;
    std::atexit([] {
        ::unlink((g_dir + "/fuzz.template").c_str());
        ::rmdir(g_dir.c_str());
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > 16384)
        return 0;
    const std::string path = g_dir + "/fuzz.template";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    FUZZ_CHECK(fd >= 0 && writeAll(fd, fuzz::asText(data, size)));
    ::close(fd);

    QList<Template> out;
    const QStringList problems = loadTemplates(QString::fromStdString(g_dir), out);
    // One file: one template or one problem, never both, never neither.
    FUZZ_CHECK(problems.size() + out.size() == 1);
    if (out.isEmpty()) {
        FUZZ_CHECK(problems.front().startsWith(QLatin1String("fuzz.template: ")));
        return 0;
    }
    const Template &t = out.front();
    FUZZ_CHECK(!t.id.isEmpty() && !t.exec.isEmpty());
    bool hasUser = false;
    for (const ParameterSpec &p : t.parameters)
        hasUser = hasUser || p.info.key == QLatin1String("user");
    FUZZ_CHECK(hasUser);

    // Rendered for root with the defaults: whatever the exec line says, the last line
    // of the script is plain words, each quoted or made of safe bytes.
    auto r = render(t, {}, 0);
    if (!r.ok()) {
        FUZZ_CHECK(r.refusal().name != nullptr);
        return 0;
    }
    const std::string run = r.value().run.toStdString();
    const std::string header = "#!/bin/sh\n# Rendered by tazuna-helper from the template ";
    FUZZ_CHECK(run.rfind(header, 0) == 0);
    // The id is on a comment line: it must not be able to end it.
    const std::size_t idEnd = run.find('\n', header.size());
    FUZZ_CHECK(idEnd != std::string::npos && run.substr(header.size(), idEnd - header.size()) == t.id.toStdString() + ".");
    std::size_t pos = idEnd + 1;
    FUZZ_CHECK(run.compare(pos, 10, "exec 2>&1\n") == 0);
    pos += 10;
    const auto words = fuzz::shellWords(run, pos);
    FUZZ_CHECK(words && !words->empty() && words->front() == "exec");
    FUZZ_CHECK(pos == run.size());
    return 0;
}
