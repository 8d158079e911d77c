// EventsModel under QAbstractItemModelTester while real EventStore batches arrive: one insert
// per batch, the row cap evicting at the front, repeat arrivals updating rows in place, titles
// refreshing rows, typed roles and formatting, colours by schema family, sorting on raw values.
#include "app/titlecache.h"
#include "model/eventstore.h"
#include "model/timestamp.h"
#include "ui/events/eventsfilterproxy.h"
#include "ui/events/eventsmodel.h"
#include "ui/schemacolors.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;
using rcrt::ui::EventsModel;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kBase = 1'762'509'000'000'000'000; // 2025-11-07T09:50:00Z

QByteArray idFor(int n)
{
    return QByteArray::number(n, 16).rightJustified(8, '0') + "-0000-4000-8000-000000000000";
}

QByteArray payload(const QByteArray &id, int version, const QByteArray &schema,
                   const QList<QByteArray> &tags, qint64 updatedAtNs, const QByteArray &context = "{\"n\":1}")
{
    QByteArray tagJson;
    for (const QByteArray &tag : tags)
        tagJson += (tagJson.isEmpty() ? "\"" : ",\"") + tag + '"';
    return "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + id
        + "\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":" + QByteArray::number(version)
        + ",\"tags\":[" + tagJson + "],\"schema_name\":\"" + schema + "\",\"updated_at\":\""
        + formatRfc3339Ns(updatedAtNs) + "\",\"context\":" + context + '}';
}

// Feeds events through a real EventStore and returns the batch it emits.
EventBatch feed(EventStore &store, const QList<StreamEvent> &events)
{
    EventBatch out;
    QObject context;
    QObject::connect(&store, &EventStore::batchReady, &context, [&out](const EventBatch &b) { out = b; });
    for (const StreamEvent &e : events)
        store.ingest(e);
    store.flush();
    return out;
}

// `count` created tool requests, ids first..first+count-1, lag = 10 ms × index.
QList<StreamEvent> requests(int first, int count)
{
    QList<StreamEvent> events;
    for (int i = first; i < first + count; ++i) {
        const qint64 updated = kBase + qint64(i) * 1000 * kMs;
        events.append({updated + qint64(i % 50) * 10 * kMs, EventSource::Sse,
                       payload(idFor(i), 1, "tool.request.v1", {"tool:request", "workspace:tools"}, updated)});
    }
    return events;
}

} // namespace

class TstEventsModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<EventBatch>();
        qRegisterMetaType<EventRecord>();
    }

    void batchesInsertOncePerBatch()
    {
        EventsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy schemas(&model, &EventsModel::schemaSeen);
        EventStore store;
        for (int b = 0; b < 3; ++b)
            model.addBatch(feed(store, requests(b * 50, 50)));
        QCOMPARE(model.rowCount(), 150);
        QCOMPARE(model.columnCount(), int(EventsModel::ColumnCount));
        QCOMPARE(inserted.count(), 3);
        QCOMPARE(inserted.at(1).at(1).toInt(), 50);
        QCOMPARE(inserted.at(1).at(2).toInt(), 99);
        QCOMPARE(schemas.count(), 1); // one schema, announced once
        QCOMPARE(model.schemas(), QList<QByteArray>{"tool.request.v1"});
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, 0).data(EventsModel::SeqRole).toLongLong(), qint64(row));
    }

    void rolesAndDisplay()
    {
        EventsModel model;
        EventStore store;
        const qint64 updated = kBase + 5 * kMs;
        const QByteArray id = idFor(0xabc);
        const QByteArray raw = payload(id, 3, "agent.context.v1", {"agent:context", "session:s1"}, updated);
        model.addBatch(feed(store, {{updated + 1520 * kMs, EventSource::Backfill, raw}}));
        QCOMPARE(model.rowCount(), 1);
        const auto at = [&](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };

        QCOMPARE(at(EventsModel::KindColumn).toString(), QStringLiteral("updated"));
        QCOMPARE(at(EventsModel::SchemaColumn).toString(), QStringLiteral("agent.context.v1"));
        QCOMPARE(at(EventsModel::TagsColumn).toString(), QStringLiteral("agent:context, session:s1"));
        QCOMPARE(at(EventsModel::VersionColumn).toInt(), 3);
        QCOMPARE(at(EventsModel::IdColumn).toString(), QString::fromLatin1(id.left(8)) + QChar(0x2026));
        QCOMPARE(at(EventsModel::IdColumn, Qt::ToolTipRole).toString(), QString::fromLatin1(id));
        QCOMPARE(at(EventsModel::LagColumn).toString(), QLocale().toString(1520));
        QCOMPARE(at(EventsModel::SourceColumn).toString(), QStringLiteral("backfill"));
        QCOMPARE(at(EventsModel::SizeColumn).toString(), QStringLiteral("%1 B").arg(raw.size()));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"))
                    .match(at(EventsModel::ArrivalColumn).toString()).hasMatch());
        QCOMPARE(at(EventsModel::UpdatedAtColumn, Qt::ToolTipRole).toString(),
                 QString::fromLatin1(formatRfc3339Ns(updated)));
        QCOMPARE(at(EventsModel::TitleColumn).toString(), QString()); // no cache: unknown

        QCOMPARE(at(0, EventsModel::LagNsRole).toLongLong(), 1520 * kMs);
        QCOMPARE(at(0, EventsModel::ArrivalNsRole).toLongLong(), updated + 1520 * kMs);
        QCOMPARE(at(0, EventsModel::UpdatedAtNsRole).toLongLong(), updated);
        QCOMPARE(at(0, EventsModel::SchemaRole).toByteArray(), QByteArray("agent.context.v1"));
        QCOMPARE(at(0, EventsModel::BreadcrumbIdRole).toByteArray(), id);
        QCOMPARE(at(0, EventsModel::VersionRole).toInt(), 3);
        QCOMPARE(at(0, EventsModel::SizeRole).toLongLong(), qint64(raw.size()));
        QCOMPARE(at(0, EventsModel::SourceRole).toInt(), int(EventSource::Backfill));
        QCOMPARE(at(0, EventsModel::ArrivalCountRole).toLongLong(), 1);
        QCOMPARE(at(0, EventsModel::TagsRole).value<QList<QByteArray>>(),
                 (QList<QByteArray>{"agent:context", "session:s1"}));
        QCOMPARE(at(0, EventsModel::RecordRole).value<EventRecord>().raw, raw);
        QCOMPARE(at(EventsModel::LagColumn, EventsModel::SortRole).toLongLong(), 1520 * kMs);
        QVERIFY(at(EventsModel::LagColumn, Qt::TextAlignmentRole).value<Qt::Alignment>().testFlag(Qt::AlignRight));
        QCOMPARE(at(0, EventsModel::SchemaFamilyRole).toInt(), int(ui::SchemaFamily::Agent));
        QCOMPARE(at(0, Qt::BackgroundRole).value<QColor>(),
                 ui::schemaFamilyBackground(ui::SchemaFamily::Agent, QGuiApplication::palette()));
    }

    void formatting()
    {
        QCOMPARE(EventsModel::formatLagMs(3'450'000), QLocale().toString(3.5, 'f', 1));
        QCOMPARE(EventsModel::formatLagMs(-2 * kMs), QLocale().toString(-2.0, 'f', 1));
        QCOMPARE(EventsModel::formatLagMs(61'204 * kMs), QLocale().toString(qint64(61204)));
        QCOMPARE(EventsModel::formatSize(842), QStringLiteral("842 B"));
        QCOMPARE(EventsModel::formatSize(12 * 1024 + 410), QStringLiteral("%1 KiB").arg(QLocale().toString(12.4, 'f', 1)));
        QCOMPARE(EventsModel::formatSize(3 * 1024 * 1024), QStringLiteral("%1 MiB").arg(QLocale().toString(3.0, 'f', 1)));
        QCOMPARE(EventsModel::shortId("short"), QStringLiteral("short"));
        QCOMPARE(EventsModel::formatClock(0), QString());
    }

    void rowCapEvictsAtTheFront()
    {
        EventsModel model;
        model.setMaxRows(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        EventStore store;
        for (int b = 0; b < 3; ++b)
            model.addBatch(feed(store, requests(b * 60, 60)));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(inserted.count(), 3);
        QCOMPARE(removed.count(), 2); // one removal per overflowing batch
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 19);
        QCOMPARE(model.index(0, 0).data(EventsModel::SeqRole).toLongLong(), 80);
        QCOMPARE(model.index(99, 0).data(EventsModel::SeqRole).toLongLong(), 179);
        QCOMPARE(model.evictedRows(), 80);
        QCOMPARE(model.rowForSeq(79), -1);
        QCOMPARE(model.rowForSeq(80), 0);
        QVERIFY(model.rowsForId(idFor(10)).isEmpty()); // the id index forgets evicted rows

        // A batch larger than the cap keeps only its newest records.
        model.addBatch(feed(store, requests(1000, 250)));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.index(0, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(1150));
        QCOMPARE(model.index(99, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(1249));

        // Lowering the cap evicts at once.
        model.setMaxRows(10);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(0, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(1240));
    }

    void repeatArrivalsUpdateRows()
    {
        EventsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStore store;
        const QList<StreamEvent> first = requests(0, 10);
        model.addBatch(feed(store, first));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Rows 3 and 4 arrive again (selector duplicates), row 3 twice; plus a new record.
        StreamEvent dup3 = first[3];
        dup3.arrivalNs += 250 * kMs;
        StreamEvent dup4 = first[4];
        dup4.arrivalNs += 300 * kMs;
        dup4.source = EventSource::Local;
        const EventBatch batch = feed(store, {dup3, dup4, dup3, requests(10, 1).first()});
        QCOMPARE(batch.repeats.size(), 3);
        model.addBatch(batch);
        QCOMPARE(model.rowCount(), 11);
        QCOMPARE(model.index(3, 0).data(EventsModel::ArrivalCountRole).toLongLong(), 3);
        QCOMPARE(model.index(4, 0).data(EventsModel::ArrivalCountRole).toLongLong(), 2);
        QCOMPARE(model.index(5, 0).data(EventsModel::ArrivalCountRole).toLongLong(), 1);
        QCOMPARE(model.index(3, EventsModel::SourceColumn).data().toString(), QStringLiteral("sse ×3"));
        QVERIFY(model.index(3, EventsModel::ArrivalColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("+250")));
        QCOMPARE(model.recordAt(4).laterArrivals.first().source, EventSource::Local);
        // Adjacent rows 3..4 changed: one dataChanged for the run.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 3);
        QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), 4);

        // A repeat of an evicted row is ignored.
        model.setMaxRows(2);
        changed.clear();
        model.addBatch(feed(store, {dup3}));
        QCOMPARE(changed.count(), 0);
    }

    void titlesRefreshTheirRows()
    {
        EventsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TitleCache titles(nullptr);
        model.setTitleCache(&titles);
        EventStore store;
        const QList<StreamEvent> created = requests(0, 5);
        // Version 2 of id 1 as well: both rows show the title.
        StreamEvent v2 = created[1];
        v2.raw.replace("\"version\":1", "\"version\":2");
        model.addBatch(feed(store, created + QList<StreamEvent>{v2}));
        QCOMPARE(model.rowsForId(idFor(1)), (QList<int>{1, 5}));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        titles.insert(idFor(1), QStringLiteral("Add two numbers"));
        QCOMPARE(changed.count(), 2);
        for (const auto &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).value<QModelIndex>().column(), int(EventsModel::TitleColumn));
            const int row = args.at(0).value<QModelIndex>().row();
            QCOMPARE(model.index(row, EventsModel::TitleColumn).data().toString(), QStringLiteral("Add two numbers"));
            QCOMPARE(model.index(row, 0).data(EventsModel::TitleRole).toString(), QStringLiteral("Add two numbers"));
        }
        QCOMPARE(model.index(0, EventsModel::TitleColumn).data().toString(), QString());
    }

    void clearResets()
    {
        EventsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStore store;
        model.addBatch(feed(store, requests(0, 20)));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.schemas().isEmpty());
        QSignalSpy schemas(&model, &EventsModel::schemaSeen);
        model.addBatch(feed(store, requests(20, 5)));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(schemas.count(), 1); // seen again after a clear
    }

    void proxySortsOnRawValues()
    {
        EventsModel model;
        ui::EventsFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStore store;
        // Lags 0..490 ms in steps of 10 repeat every 50 rows; "1,200" > "990" only as numbers.
        QList<StreamEvent> events = requests(0, 60);
        events[7].arrivalNs += 5000 * kMs;
        model.addBatch(feed(store, events));
        proxy.sort(EventsModel::LagColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(7));
        qint64 previous = std::numeric_limits<qint64>::max();
        for (int row = 0; row < proxy.rowCount(); ++row) {
            const qint64 lag = proxy.index(row, 0).data(EventsModel::LagNsRole).toLongLong();
            QVERIFY(lag <= previous);
            previous = lag;
        }
        // New rows land in sorted position while sorted.
        model.addBatch(feed(store, requests(100, 5)));
        QCOMPARE(proxy.rowCount(), 65);
        proxy.sort(-1);
        QCOMPARE(proxy.index(64, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(104));
    }
};

QTEST_MAIN(TstEventsModel)
#include "tst_eventsmodel.moc"
