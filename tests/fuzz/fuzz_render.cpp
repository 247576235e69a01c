// SPDX-License-Identifier: MIT
// Fuzzes the helper's parameter maps against the shipped templates: refused with a named error, or a script whose words are exactly the values given.
#include "fuzzcheck.h"
#include "shwords.h"
#include "templates.h"

#include "errors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

using namespace tz;

namespace {

QList<Template> g_templates;

bool isKnownError(const char *name)
{
    for (const char *e : {errors::invalidParameter, errors::noSuchUser, errors::notExecutable})
        if (std::strcmp(name, e) == 0)
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const QStringList problems = loadTemplates(QStringLiteral(TAZUNA_SOURCE_DIR "/helper/templates"), g_templates);
    FUZZ_CHECK(problems.isEmpty() && !g_templates.isEmpty());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // byte 0: template and caller; then key NUL value NUL key NUL value ...
    if (size < 1 || size > 65536)
        return 0;
    const Template &t = g_templates.at(data[0] % g_templates.size());
    const uid_t caller = (data[0] & 0x80) ? 65534 : 0; // nobody or root
    const auto parts = fuzz::split(fuzz::asText(data + 1, size - 1), '\0');
    ParameterMap parameters;
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2)
        parameters.insert(QString::fromUtf8(parts[i].data(), static_cast<qsizetype>(parts[i].size())),
                          QString::fromUtf8(parts[i + 1].data(), static_cast<qsizetype>(parts[i + 1].size())));

    auto r = render(t, parameters, caller);
    if (!r.ok()) {
        FUZZ_CHECK(isKnownError(r.refusal().name) && !r.refusal().message.isEmpty());
        return 0;
    }
    const Rendered &out = r.value();
    const std::string run = out.run.toStdString();
    std::size_t pos = run.find("exec 2>&1\n");
    FUZZ_CHECK(pos != std::string::npos);
    pos += 10;
    if (run.compare(pos, 3, "cd ") == 0) {
        const auto cd = fuzz::shellWords(run, pos, '|');
        FUZZ_CHECK(cd && cd->size() == 2 && cd->at(1) == parameters.value(QStringLiteral("directory")).toStdString());
        FUZZ_CHECK(run.compare(pos, 12, "|| exit 111\n") == 0);
        pos += 12;
    }
    // The exec line follows at once; a value may hold "\nexec " itself, quoted.
    FUZZ_CHECK(run.compare(pos, 5, "exec ") == 0);
    const auto words = fuzz::shellWords(run, pos);
    FUZZ_CHECK(words && pos == run.size());
    FUZZ_CHECK(words->front() == "exec");

    // The last words are the arguments, one word per item, byte for byte.
    if (parameters.contains(QStringLiteral("arguments"))) {
        const QJsonArray items = QJsonDocument::fromJson(parameters.value(QStringLiteral("arguments")).toUtf8()).array();
        FUZZ_CHECK(words->size() >= static_cast<std::size_t>(items.size()));
        for (qsizetype i = 0; i < items.size(); ++i)
            FUZZ_CHECK(words->at(words->size() - static_cast<std::size_t>(items.size()) + static_cast<std::size_t>(i))
                       == items.at(i).toString().toStdString());
    }
    // Each variable is one word NAME=value after env, in the object's order.
    if (!parameters.value(QStringLiteral("environment")).isEmpty()) {
        const QJsonObject vars = QJsonDocument::fromJson(parameters.value(QStringLiteral("environment")).toUtf8()).object();
        std::size_t at = 0;
        while (at < words->size() && words->at(at) != "/usr/bin/env")
            ++at;
        FUZZ_CHECK(at + static_cast<std::size_t>(vars.size()) < words->size() || vars.isEmpty());
        std::size_t k = at + 1;
        for (auto it = vars.begin(); it != vars.end(); ++it, ++k)
            FUZZ_CHECK(words->at(k) == (it.key() + QLatin1Char('=') + it.value().toString()).toStdString());
    }
    // Root runs nothing as another user unless asked; anyone else's service drops privileges.
    const bool drops = words->size() > 1 && words->at(1) == "setuidgid";
    FUZZ_CHECK(drops == (out.uid != 0));
    if (out.logging)
        FUZZ_CHECK(out.logRun.startsWith("#!/bin/sh\n") && out.logRun.endsWith(" ./main\n"));
    return 0;
}
