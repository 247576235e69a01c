// SPDX-License-Identifier: MIT
// The one package that the package.build fixture made, for both package tests.
#pragma once

#include <QDir>
#include <QString>
#include <QStringList>

namespace tz::test {

// The .deb in TAZUNA_DEB_DIR, or an empty string unless there is exactly one.
inline QString debPath()
{
    const QDir dir(qEnvironmentVariable("TAZUNA_DEB_DIR"));
    const QStringList debs = dir.entryList({QStringLiteral("tazuna_*.deb")}, QDir::Files);
    return debs.size() == 1 ? dir.filePath(debs.first()) : QString();
}

} // namespace tz::test
