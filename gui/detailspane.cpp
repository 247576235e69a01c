// SPDX-License-Identifier: MIT
// DetailsPane: tabs for the scripts, the exit history and the tail of the log.
#include "detailspane.h"

#include "servicemodel.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cstring>
#include <csignal>

namespace tz {

DetailsPane::DetailsPane(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel;
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto makeText = [&] {
        auto *t = new QPlainTextEdit;
        t->setReadOnly(true);
        t->setFont(mono);
        t->setLineWrapMode(QPlainTextEdit::NoWrap);
        return t;
    };
    m_run = makeText();
    m_logRun = makeText();
    m_log = makeText();
    m_exits = new QListWidget;
    m_openLog = new QPushButton(tr("Open log browser"));
    auto *logPage = new QWidget;
    auto *logLayout = new QVBoxLayout(logPage);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_log, 1);
    logLayout->addWidget(m_openLog, 0, Qt::AlignRight);
    m_tabs = new QTabWidget;
    m_tabs->addTab(logPage, tr("Latest log"));
    m_tabs->addTab(m_exits, tr("Exit history"));
    m_tabs->addTab(m_run, tr("run"));
    m_tabs->addTab(m_logRun, tr("log/run"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    connect(m_openLog, &QPushButton::clicked, this, [this] {
        if (!m_name.isEmpty())
            emit openLogRequested(m_name);
    });
    showNothing(0);
}

void DetailsPane::showNothing(int selected)
{
    m_name.clear();
    m_title->setText(selected > 1 ? tr("%n services selected", nullptr, selected) : tr("No service selected"));
    m_summary->setText(selected > 1 ? tr("Actions apply to all of them, like svc with several directories.")
                                    : tr("Select a service to see its run script, its exits and its log."));
    m_tabs->setEnabled(false);
    m_run->clear();
    m_logRun->clear();
    m_exits->clear();
    m_log->clear();
}

QString DetailsPane::signalName(int signal)
{
    if (const char *abbrev = ::sigabbrev_np(signal))
        return QStringLiteral("SIG") + QLatin1String(abbrev);
    return QString::number(signal);
}

QString DetailsPane::exitText(const ExitInfo &e)
{
    const QString ran = ServiceModel::durationText(e.ranMs / 1000);
    if (e.asked)
        return tr("stopped on request after %1").arg(ran);
    if (e.signal != 0)
        return tr("killed by %1 after %2").arg(signalName(e.signal), ran);
    if (!e.statusKnown())
        return tr("ended after %1 (status unknown: it was running before supervise restarted)").arg(ran);
    return tr("exited %1 after %2").arg(e.exitCode).arg(ran);
}

void DetailsPane::setDetails(const ServiceDetails &d)
{
    m_name = d.info.name;
    m_tabs->setEnabled(true);
    m_title->setText(d.info.name);
    QStringList facts;
    facts << ServiceModel::stateText(d.info);
    if (d.info.pid)
        facts << tr("pid %1").arg(d.info.pid);
    facts << (d.info.normallyUp ? tr("starts with the system") : tr("normally down"));
    facts << (d.info.logging ? tr("logging to log/main") : tr("not logging"));
    if (!d.info.runAs.isEmpty())
        facts << tr("runs as %1").arg(d.info.runAs);
    if (!d.info.templateId.isEmpty())
        facts << tr("made from template \"%1\"").arg(d.info.templateId);
    m_summary->setText(facts.join(QStringLiteral(" · ")));
    m_run->setPlainText(d.runScript);
    m_logRun->setPlainText(d.logRunScript.isEmpty() ? tr("(no log/run: output is not logged)") : d.logRunScript);
    m_exits->clear();
    const QLocale locale;
    for (auto it = d.exits.crbegin(); it != d.exits.crend(); ++it) {
        const QString when = locale.toString(QDateTime::fromMSecsSinceEpoch(it->when), QLocale::ShortFormat);
        auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(when, exitText(*it)));
        if (it->crashed())
            item->setForeground(QColor(0xd0, 0x31, 0x2d));
        m_exits->addItem(item);
    }
    if (d.exits.isEmpty())
        m_exits->addItem(tr("No exits recorded."));
}

bool DetailsPane::canOpenLog() const
{
    return m_openLog->isEnabled();
}

void DetailsPane::setLogTail(const QStringList &lines, const QString &note, bool browserHelps)
{
    m_log->setPlainText(lines.isEmpty() ? note : lines.join(QLatin1Char('\n')));
    m_openLog->setEnabled(!lines.isEmpty() || browserHelps);
}

} // namespace tz
