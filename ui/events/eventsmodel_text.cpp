// EventsModel: what each column says (display, tooltip) and sorts by.
#include "ui/events/eventsmodel.h"

#include "model/timestamp.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace rcrt::ui {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

QString joinTags(const QList<QByteArray> &tags, QLatin1String separator)
{
    QString out;
    for (const QByteArray &tag : tags) {
        if (!out.isEmpty())
            out += separator;
        out += QString::fromUtf8(tag);
    }
    return out;
}

QString localDateTime(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / kNsPerMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

QString EventsModel::formatClock(qint64 ns)
{
    if (ns <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ns / kNsPerMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString EventsModel::formatLagMs(qint64 lagNs)
{
    const double ms = double(lagNs) / double(kNsPerMs);
    if (std::abs(ms) < 10.0)
        return QLocale().toString(ms, 'f', 1);
    return QLocale().toString(qint64(std::llround(ms)));
}

QString EventsModel::formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return tr("%1 KiB").arg(QLocale().toString(double(bytes) / 1024.0, 'f', 1));
    return tr("%1 MiB").arg(QLocale().toString(double(bytes) / (1024.0 * 1024.0), 'f', 1));
}

QString EventsModel::shortId(const QByteArray &id)
{
    // Eight hex digits tell breadcrumbs apart at a glance, as short git hashes do.
    if (id.size() <= 9)
        return QString::fromLatin1(id);
    return QString::fromLatin1(id.left(8)) + QChar(0x2026);
}

QVariant EventsModel::displayData(const EventRecord &record, int row, int column) const
{
    const Envelope &e = record.envelope;
    switch (column) {
    case ArrivalColumn: return formatClock(record.first.arrivalNs);
    case UpdatedAtColumn: {
        // Same day as the arrival: the time is enough; older (backfill) rows get their date.
        const QDateTime updated = QDateTime::fromMSecsSinceEpoch(e.updatedAtNs / kNsPerMs);
        const QDateTime arrived = QDateTime::fromMSecsSinceEpoch(record.first.arrivalNs / kNsPerMs);
        if (e.updatedAtNs <= 0)
            return QString();
        if (updated.date() == arrived.date())
            return updated.toString(QStringLiteral("HH:mm:ss.zzz"));
        return updated.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    case LagColumn: return formatLagMs(record.first.arrivalNs - e.updatedAtNs);
    case KindColumn: return e.version == 1 ? tr("created") : tr("updated");
    case SchemaColumn: return e.hasSchema ? QString::fromUtf8(e.schemaName) : tr("(none)");
    case TitleColumn: return titleAt(row);
    case TagsColumn: return joinTags(e.tags, QLatin1String(", "));
    case VersionColumn: return e.version;
    case IdColumn: return shortId(e.breadcrumbId);
    case SizeColumn: return formatSize(record.raw.size());
    case SourceColumn: {
        const QString source = sourceName(record.first.source);
        const qsizetype count = record.arrivalCount();
        return count > 1 ? tr("%1 ×%2").arg(source).arg(count) : source;
    }
    default: return {};
    }
}

QVariant EventsModel::sortData(const EventRecord &record, int row, int column) const
{
    const Envelope &e = record.envelope;
    switch (column) {
    case ArrivalColumn: return record.first.arrivalNs;
    case UpdatedAtColumn: return e.updatedAtNs;
    case LagColumn: return record.first.arrivalNs - e.updatedAtNs;
    case KindColumn: return e.version == 1 ? 0 : 1;
    case SchemaColumn: return QString::fromUtf8(e.schemaName);
    case TitleColumn: return titleAt(row);
    case TagsColumn: return joinTags(e.tags, QLatin1String(","));
    case VersionColumn: return e.version;
    case IdColumn: return QString::fromLatin1(e.breadcrumbId);
    case SizeColumn: return qint64(record.raw.size());
    case SourceColumn: return int(record.first.source);
    default: return {};
    }
}

QVariant EventsModel::toolTipData(const EventRecord &record, int row, int column) const
{
    const Envelope &e = record.envelope;
    switch (column) {
    case ArrivalColumn: {
        QString text = tr("%1 via %2").arg(localDateTime(record.first.arrivalNs), sourceName(record.first.source));
        for (const Arrival &later : record.laterArrivals)
            text += QLatin1Char('\n')
                + tr("again %1 via %2 (+%3 ms)")
                      .arg(formatClock(later.arrivalNs), sourceName(later.source),
                           formatLagMs(later.arrivalNs - record.first.arrivalNs));
        return text;
    }
    case UpdatedAtColumn: return QString::fromLatin1(formatRfc3339Ns(e.updatedAtNs));
    case LagColumn: return tr("Delivery lag: arrival here minus the server's updated_at");
    case KindColumn:
        return record.outOfOrder ? tr("Arrived after a newer version of this breadcrumb") : QVariant();
    case TitleColumn: {
        const QString title = titleAt(row);
        return title.isEmpty() ? tr("Title not fetched yet") : title;
    }
    case TagsColumn: return joinTags(e.tags, QLatin1String("\n"));
    case IdColumn: return QString::fromLatin1(e.breadcrumbId);
    case SizeColumn: return tr("%1 bytes").arg(record.raw.size());
    case SourceColumn:
        return record.arrivalCount() > 1 ? tr("Delivered %1 times").arg(record.arrivalCount()) : QVariant();
    default: return {};
    }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ArrivalColumn: return tr("Arrival");
        case UpdatedAtColumn: return tr("updated_at");
        case LagColumn: return tr("Lag ms");
        case KindColumn: return tr("Kind");
        case SchemaColumn: return tr("Schema");
        case TitleColumn: return tr("Title");
        case TagsColumn: return tr("Tags");
        case VersionColumn: return tr("Ver");
        case IdColumn: return tr("Id");
        case SizeColumn: return tr("Size");
        case SourceColumn: return tr("Source");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case ArrivalColumn: return tr("When the event arrived here (console clock)");
        case UpdatedAtColumn: return tr("The server's updated_at (database clock)");
        case LagColumn: return tr("Arrival minus updated_at, in milliseconds");
        case KindColumn: return tr("created when version is 1, else updated");
        case TitleColumn: return tr("Fetched from /breadcrumbs/{id}/full for visible rows");
        case SizeColumn: return tr("Bytes of the raw payload");
        case SourceColumn: return tr("How it arrived: sse, backfill, local or replay; ×N when delivered N times");
        default: return {};
        }
    } else if (role == Qt::TextAlignmentRole) {
        const bool numeric = section == LagColumn || section == VersionColumn || section == SizeColumn;
        return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace rcrt::ui
