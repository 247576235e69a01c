// SPDX-License-Identifier: MIT
// Loading the app's and Qt's translations for the chosen or the system language.
#pragma once

#include <QLocale>
#include <QString>

namespace tz {

// Installs tazuna_<lang>.qm from the resources and Qt's qtbase_<lang>.qm; an empty code
// follows the system locale. Returns the locale in effect.
QLocale installTranslations(const QString &code);

} // namespace tz
