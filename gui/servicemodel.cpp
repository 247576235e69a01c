// SPDX-License-Identifier: MIT
// ServiceModel: in-place row updates, state icons and colours, durations that count up.
#include "servicemodel.h"

#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace tz {

namespace {

QIcon dot(const QColor &c)
{
    QPixmap pm(16, 16);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(c);
    p.setPen(c.darker(140));
    p.drawEllipse(QRectF(2.5, 2.5, 11, 11));
    return QIcon(pm);
}

QColor healthColour(ServiceModel::Health h)
{
    switch (h) {
    case ServiceModel::Health::Up:
        return QColor(0x2e, 0x9d, 0x47);
    case ServiceModel::Health::Paused:
        return QColor(0xe0, 0x9b, 0x1a);
    case ServiceModel::Health::Down:
    case ServiceModel::Health::Crashing:
        return QColor(0xd0, 0x31, 0x2d);
    case ServiceModel::Health::Expected:
    case ServiceModel::Health::Unsupervised:
        break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

} // namespace

ServiceModel::ServiceModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_clock.start();
    // Only the display of elapsed time moves; nothing is asked of the helper.
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &ServiceModel::tick);
}

int ServiceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ServiceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

ServiceModel::Health ServiceModel::health(const ServiceInfo &s)
{
    if (s.state.isEmpty())
        return Health::Unsupervised;
    if (s.crashes >= 3 || s.backoff == QLatin1String("waiting"))
        return Health::Crashing;
    if (s.state == QLatin1String("paused"))
        return Health::Paused;
    if (s.state == QLatin1String("up"))
        return Health::Up;
    return s.want == QLatin1String("up") ? Health::Down : Health::Expected;
}

QString ServiceModel::stateText(const ServiceInfo &s)
{
    if (s.state.isEmpty())
        return tr("not supervised");
    if (s.state == QLatin1String("paused"))
        return tr("paused");
    if (s.state == QLatin1String("up"))
        return s.want == QLatin1String("down") ? tr("up, stopping") : tr("up");
    if (s.backoff == QLatin1String("waiting"))
        return tr("crashing, waiting to restart");
    if (s.want == QLatin1String("up"))
        return tr("down, restarting");
    return tr("down");
}

QString ServiceModel::durationText(qint64 s)
{
    if (s < 60)
        return tr("%n s", nullptr, static_cast<int>(s));
    if (s < 3600)
        return tr("%n min", nullptr, static_cast<int>(s / 60));
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%n day(s)", nullptr, static_cast<int>(s / 86400));
}

qint64 ServiceModel::secondsInState(int row) const
{
    const Row &r = m_rows.at(row);
    return r.info.seconds + (m_clock.elapsed() - r.receivedAt) / 1000;
}

QVariant ServiceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ServiceInfo &s = m_rows.at(index.row()).info;
    const Health h = health(s);
    if (role == NameRole)
        return s.name;
    if (role == HealthRole)
        return static_cast<int>(h);
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case NameColumn:
            return s.name;
        case StateColumn:
            return sort ? QVariant(static_cast<int>(h)) : QVariant(stateText(s));
        case PidColumn:
            return s.pid ? QVariant(s.pid) : (sort ? QVariant(0) : QVariant(QString()));
        case TimeColumn:
            if (s.state.isEmpty())
                return sort ? QVariant(qint64(-1)) : QVariant(QString());
            return sort ? QVariant(secondsInState(index.row())) : QVariant(durationText(secondsInState(index.row())));
        case UserColumn:
            // Empty when unknown: a service made by hand may switch user in ./run.
            return s.runAs;
        case LoggingColumn:
            return sort ? QVariant(s.logging) : QVariant(s.logging ? tr("on") : tr("off"));
        case CrashesColumn:
            return s.crashes;
        case BackoffColumn:
            if (s.backoff == QLatin1String("waiting"))
                return tr("waiting");
            if (s.backoff == QLatin1String("armed"))
                return tr("armed");
            return sort ? QString() : tr("off");
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == StateColumn)
        return dot(healthColour(h));
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return QBrush(healthColour(h).darker(115));
    if (role == Qt::ForegroundRole && index.column() == CrashesColumn && s.crashes > 0)
        return QBrush(healthColour(Health::Crashing));
    if (role == Qt::TextAlignmentRole && (index.column() == PidColumn || index.column() == CrashesColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == LoggingColumn)
        return s.logging ? tr("Its output goes through multilog into log/main.") : tr("Its output is not kept.");
    if (role == Qt::ToolTipRole && index.column() == CrashesColumn)
        return tr("Exits not asked for in the last minute");
    return {};
}

QVariant ServiceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Service");
    case StateColumn:
        return tr("State");
    case PidColumn:
        return tr("PID");
    case TimeColumn:
        return tr("For");
    case UserColumn:
        return tr("Runs as");
    case LoggingColumn:
        return tr("Log");
    case CrashesColumn:
        return tr("Crashes");
    case BackoffColumn:
        return tr("Backoff");
    default:
        return {};
    }
}

int ServiceModel::rowOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].info.name == name)
            return static_cast<int>(i);
    return -1;
}

QStringList ServiceModel::names() const
{
    QStringList out;
    for (const Row &r : m_rows)
        out.append(r.info.name);
    return out;
}

void ServiceModel::setServices(const ServiceInfoList &services)
{
    for (int i = rowCount() - 1; i >= 0; --i) {
        const QString name = m_rows[i].info.name;
        const bool kept = std::any_of(services.begin(), services.end(), [&](const ServiceInfo &s) { return s.name == name; });
        if (!kept)
            removeService(name);
    }
    for (const ServiceInfo &s : services)
        upsert(s);
}

void ServiceModel::upsert(const ServiceInfo &info)
{
    const int row = rowOf(info.name);
    Row r{info, m_clock.elapsed()};
    if (row < 0) {
        beginInsertRows({}, rowCount(), rowCount());
        m_rows.append(r);
        endInsertRows();
    } else {
        m_rows[row] = r;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (!m_ticker.isActive())
        m_ticker.start();
    emit healthChanged();
}

void ServiceModel::removeService(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    if (m_rows.isEmpty())
        m_ticker.stop();
    emit healthChanged();
}

void ServiceModel::tick()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
}

} // namespace tz
