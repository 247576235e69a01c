// SPDX-License-Identifier: MIT
// tazuna: the desktop app's entry point.
#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    return QApplication::exec();
}
