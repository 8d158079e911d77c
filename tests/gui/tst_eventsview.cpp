// The events view: the proxy applies queries (and titles arriving later), the filter bar is
// debounced and reports errors without filtering, pause buffers and resume inserts in one go,
// follow tail, keyboard shortcuts, schema combo, selection, visible-only title requests and
// column settings that persist.
#include "app/titlecache.h"
#include "model/eventstore.h"
#include "model/timestamp.h"
#include "ui/events/eventsfilterbar.h"
#include "ui/events/eventsfilterproxy.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QMenu>
#include <QTimer>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace rcrt;
using rcrt::ui::EventsFilterProxy;
using rcrt::ui::EventsModel;
using rcrt::ui::EventsView;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kBase = 1'762'509'000'000'000'000;

QByteArray idFor(int n)
{
    return QByteArray::number(n, 16).rightJustified(8, '0') + "-0000-4000-8000-000000000000";
}

QByteArray tagsJson(const QList<QByteArray> &tags)
{
    QByteArray out;
    for (const QByteArray &tag : tags)
        out += (out.isEmpty() ? "\"" : ",\"") + tag + '"';
    return '[' + out + ']';
}

StreamEvent sse(int n, int version, const QByteArray &schema, const QList<QByteArray> &tags,
                qint64 lagMs, EventSource source = EventSource::Sse)
{
    const qint64 updated = kBase + qint64(n) * 100 * kMs;
    return {updated + lagMs * kMs, source,
            "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + idFor(n)
                + "\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":"
                + QByteArray::number(version) + ",\"tags\":" + tagsJson(tags) + ",\"schema_name\":\""
                + schema + "\",\"updated_at\":\"" + formatRfc3339Ns(updated) + "\",\"context\":{\"n\":1}}"};
}

// A REST list item (backfill shape, §4.1): it carries the title.
StreamEvent listItem(int n, const QByteArray &schema, const QList<QByteArray> &tags, int version)
{
    const qint64 updated = kBase + qint64(n) * 100 * kMs;
    return {updated + 2000 * kMs, EventSource::Backfill,
            "{\"id\":\"" + idFor(n) + "\",\"title\":\"Context for session " + QByteArray::number(n)
                + "\",\"tags\":" + tagsJson(tags) + ",\"schema_name\":\"" + schema + "\",\"version\":"
                + QByteArray::number(version) + ",\"updated_at\":\"" + formatRfc3339Ns(updated) + "\"}"};
}

// 20 requests (lag 100 ms), 20 responses (lag 1.5 s), 10 backfilled agent contexts at version 2
// (lag 2 s), 5 local user messages (lag 20 ms): 55 rows.
QList<StreamEvent> mixedEvents()
{
    QList<StreamEvent> events;
    for (int i = 0; i < 20; ++i)
        events.append(sse(i, 1, "tool.request.v1", {"tool:request", "workspace:tools"}, 100));
    for (int i = 20; i < 40; ++i)
        events.append(sse(i, 1, "tool.response.v1",
                          {"tool:response", "workspace:tools", "request:" + QByteArray::number(i - 20)}, 1500));
    for (int i = 40; i < 50; ++i)
        events.append(listItem(i, "agent.context.v1", {"agent:context", "session:s1"}, 2));
    for (int i = 50; i < 55; ++i)
        events.append(sse(i, 1, "user.message.v1", {"user:message", "session:s1"}, 20, EventSource::Local));
    return events;
}

QList<StreamEvent> manyRequests(int first, int count)
{
    QList<StreamEvent> events;
    for (int i = first; i < first + count; ++i)
        events.append(sse(i, 1, "tool.request.v1", {"tool:request"}, 50));
    return events;
}

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

} // namespace

class TstEventsView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<EventBatch>();
        qRegisterMetaType<EventRecord>();
        QVERIFY(m_settingsDir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("rcrt-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_eventsview"));
    }

    void init() { QSettings().clear(); }

    void proxyFilters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("rows");

        QTest::newRow("none") << QString() << 55;
        QTest::newRow("schema glob") << QStringLiteral("schema:tool.*") << 40;
        QTest::newRow("tag") << QStringLiteral("tag:workspace:tools") << 40;
        QTest::newRow("placeholder") << QStringLiteral("schema:tool.* tag:workspace:tools lag>1s") << 20;
        QTest::newRow("negated") << QStringLiteral("-schema:tool.*") << 15;
        QTest::newRow("updated") << QStringLiteral("updated") << 10;
        QTest::newRow("created") << QStringLiteral("created") << 45;
        QTest::newRow("backfill") << QStringLiteral("source:backfill") << 10;
        QTest::newRow("local") << QStringLiteral("source:local") << 5;
        QTest::newRow("lag<500ms") << QStringLiteral("lag<500ms") << 25;
        QTest::newRow("id prefix") << QStringLiteral("id:0000001f") << 1;
        QTest::newRow("free text") << QStringLiteral("session") << 15;
        QTest::newRow("tag glob") << QStringLiteral("tag:request:1*") << 11; // 1, 10..19
    }

    void proxyFilters()
    {
        QFETCH(QString, query);
        QFETCH(int, rows);
        EventsModel model;
        EventsFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStore store;
        const auto parsed = EventQuery::parse(query);
        QVERIFY(parsed);
        proxy.setQuery(*parsed); // before the rows: new rows are filtered as they come
        const QList<StreamEvent> events = mixedEvents();
        model.addBatch(feed(store, events.mid(0, 30)));
        model.addBatch(feed(store, events.mid(30)));
        QCOMPARE(model.rowCount(), 55);
        QCOMPARE(proxy.rowCount(), rows);
        proxy.clearQuery();
        QCOMPARE(proxy.rowCount(), 55);
        proxy.setQuery(*parsed); // and applied to existing rows
        QCOMPARE(proxy.rowCount(), rows);
    }

    void filterChangeIsOneLayoutChange()
    {
        // Row-by-row signals for an interleaved filter over many rows cost the views seconds;
        // a filter change must be one layout change.
        EventsModel model;
        EventsFilterProxy proxy;
        proxy.setSourceModel(&model);
        EventStore store;
        model.addBatch(feed(store, mixedEvents()));
        QSignalSpy removed(&proxy, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);
        QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
        proxy.setQuery(*EventQuery::parse(u"tag:request:*"));
        QCOMPARE(proxy.rowCount(), 20);
        proxy.setSchemaFilter("tool.response.v1");
        proxy.clearQuery();
        QCOMPARE(proxy.rowCount(), 20);
        QCOMPARE(removed.count() + inserted.count(), 0);
        QCOMPARE(layout.count(), 3);
    }

    void proxyCombinesSchemaAndTitles()
    {
        EventsModel model;
        TitleCache titles(nullptr);
        model.setTitleCache(&titles);
        EventsFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStore store;
        model.addBatch(feed(store, mixedEvents()));
        proxy.setSchemaFilter("tool.response.v1");
        QCOMPARE(proxy.rowCount(), 20);
        proxy.setQuery(*EventQuery::parse(u"\"weather lookup\""));
        QCOMPARE(proxy.rowCount(), 0);
        // A title arriving later brings the row in (dataChanged re-runs the filter).
        titles.insert(idFor(25), QStringLiteral("Weather lookup for Paris"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(25));
        titles.insert(idFor(3), QStringLiteral("Weather lookup too")); // a request: schema says no
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setSchemaFilter({});
        QCOMPARE(proxy.rowCount(), 2);
    }

    void filterBarIsDebouncedAndReportsErrors()
    {
        EventsView view;
        EventStore store;
        view.addBatch(feed(store, mixedEvents()));
        auto *bar = view.filterBar();
        bar->setQueryText(QStringLiteral("schema:tool.*"));
        QCOMPARE(view.proxy()->rowCount(), 55); // not yet: debounced
        QTRY_COMPARE(view.proxy()->rowCount(), 40);
        QVERIFY(bar->errorText().isEmpty());

        bar->setQueryText(QStringLiteral("schema:tool.* lag>1"));
        QTRY_VERIFY(!bar->errorText().isEmpty());
        QVERIFY2(bar->errorText().startsWith(QStringLiteral("column 20:")), qPrintable(bar->errorText()));
        QCOMPARE(view.proxy()->rowCount(), 55); // an invalid query filters nothing

        bar->setQueryText(QStringLiteral("schema:tool.* lag>1s"));
        QTRY_COMPARE(view.proxy()->rowCount(), 20);
        QVERIFY(bar->errorText().isEmpty());
        QVERIFY(view.statusText().startsWith(QStringLiteral("55 rows (20 shown)")));
    }

    void keyboard()
    {
        EventsView view;
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        EventStore store;
        view.addBatch(feed(store, mixedEvents()));
        QLineEdit *edit = view.filterBar()->queryEdit();

        view.table()->setFocus();
        QTest::keyClick(view.table(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(edit->hasFocus());

        QTest::keyClicks(edit, QStringLiteral("updated"));
        view.filterBar()->applyQueryNow();
        QCOMPARE(view.proxy()->rowCount(), 10);
        QTest::keyClick(edit, Qt::Key_Escape);
        QCOMPARE(edit->text(), QString());
        QCOMPARE(view.proxy()->rowCount(), 55); // at once, no debounce

        view.table()->setFocus();
        QTest::keyClick(view.table(), Qt::Key_Space);
        QVERIFY(view.isPaused());
        QVERIFY(view.filterBar()->pauseButton()->isChecked());
        QTest::keyClick(view.table(), Qt::Key_Space);
        QVERIFY(!view.isPaused());

        view.setFollowTail(false);
        QVERIFY(!view.filterBar()->followButton()->isChecked());
        QTest::keyClick(view.table(), Qt::Key_End);
        QVERIFY(view.followTail());
        QVERIFY(view.filterBar()->followButton()->isChecked());
    }

    void pauseBuffersAndResumeInsertsOnce()
    {
        EventsView view;
        EventStore store;
        view.addBatch(feed(store, manyRequests(0, 100)));
        QSignalSpy paused(&view, &EventsView::pausedChanged);
        view.filterBar()->pauseButton()->click();
        QVERIFY(view.isPaused());
        QCOMPARE(paused.count(), 1);

        QSignalSpy inserted(view.model(), &QAbstractItemModel::rowsInserted);
        QList<StreamEvent> repeat{manyRequests(0, 1).first()}; // a repeat of a shown row
        repeat.first().arrivalNs += 5 * kMs;
        for (int b = 1; b <= 4; ++b)
            view.addBatch(feed(store, manyRequests(b * 100, 100)));
        view.addBatch(feed(store, repeat));
        QCOMPARE(view.model()->rowCount(), 100); // frozen
        QCOMPARE(view.model()->index(0, 0).data(EventsModel::ArrivalCountRole).toLongLong(), 1);
        QCOMPARE(view.bufferedRecords(), 400);
        QVERIFY(view.statusText().contains(QStringLiteral("paused, 400 new buffered")));
        QCOMPARE(view.filterBar()->pauseButton()->text(), QStringLiteral("Resume (400)"));
        QCOMPARE(inserted.count(), 0);

        view.setPaused(false);
        QCOMPARE(inserted.count(), 1); // in one go
        QCOMPARE(view.model()->rowCount(), 500);
        QCOMPARE(view.bufferedRecords(), 0);
        QCOMPARE(view.model()->index(0, 0).data(EventsModel::ArrivalCountRole).toLongLong(), 2);
        QCOMPARE(view.filterBar()->pauseButton()->text(), QStringLiteral("Pause"));
    }

    void pauseBufferIsBounded()
    {
        EventsView view;
        view.model()->setMaxRows(100);
        EventStore store;
        view.setPaused(true);
        for (int b = 0; b < 10; ++b)
            view.addBatch(feed(store, manyRequests(b * 50, 50)));
        QVERIFY(view.bufferedRecords() <= 125);
        view.setPaused(false);
        QCOMPARE(view.model()->rowCount(), 100);
        QCOMPARE(view.model()->index(99, 0).data(EventsModel::BreadcrumbIdRole).toByteArray(), idFor(499));
    }

    void followTail()
    {
        EventsView view;
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        EventStore store;
        QScrollBar *bar = view.table()->verticalScrollBar();
        view.addBatch(feed(store, manyRequests(0, 500)));
        QVERIFY(view.followTail());
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());

        bar->triggerAction(QAbstractSlider::SliderPageStepSub); // the user scrolls up
        QVERIFY(!view.followTail());
        const int held = bar->value();
        view.addBatch(feed(store, manyRequests(500, 100)));
        QCOMPARE(bar->value(), held);
        QVERIFY(bar->value() < bar->maximum());

        view.filterBar()->followButton()->click();
        QVERIFY(view.followTail());
        QCOMPARE(bar->value(), bar->maximum());
        view.addBatch(feed(store, manyRequests(600, 100)));
        QCOMPARE(bar->value(), bar->maximum());
    }

    void schemaComboAndClear()
    {
        EventsView view;
        EventStore store;
        view.addBatch(feed(store, mixedEvents()));
        QComboBox *combo = view.filterBar()->schemaCombo();
        QCOMPARE(combo->count(), 5);
        QCOMPARE(combo->itemText(1), QStringLiteral("agent.context.v1"));
        QCOMPARE(combo->itemText(4), QStringLiteral("user.message.v1"));
        combo->setCurrentIndex(combo->findText(QStringLiteral("tool.request.v1")));
        QCOMPARE(view.proxy()->rowCount(), 20);

        view.filterBar()->clearButton()->click();
        QCOMPARE(view.model()->rowCount(), 0);
        QCOMPARE(combo->count(), 1);
        QCOMPARE(view.proxy()->schemaFilter(), QByteArray());
        QTRY_VERIFY(view.statusText().startsWith(QStringLiteral("0 rows (0 shown)")));
    }

    void selectionEmitsRecord()
    {
        EventsView view;
        EventStore store;
        view.addBatch(feed(store, mixedEvents()));
        QSignalSpy selected(&view, &EventsView::breadcrumbSelected);
        view.table()->setCurrentIndex(view.proxy()->index(21, EventsModel::SchemaColumn));
        QCOMPARE(selected.count(), 1);
        const auto record = selected.first().first().value<EventRecord>();
        QCOMPARE(record.envelope.breadcrumbId, idFor(21));
        QCOMPARE(record.envelope.schemaName, QByteArray("tool.response.v1"));
    }

    void titlesRequestedForVisibleRowsOnly()
    {
        EventsView view; // no RestClient: requests stay queued, which shows what was asked
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        EventStore store;
        view.addBatch(feed(store, manyRequests(0, 1000)));
        QTableView *table = view.table();
        const int visible = table->rowAt(table->viewport()->height() - 1) - table->rowAt(0) + 1;
        QVERIFY(visible > 3 && visible < 100);
        QTRY_COMPARE(view.titleCache()->queued(), visible);

        // Backfilled list items carry their title: no request, shown at once.
        EventsView backfill;
        backfill.resize(900, 300);
        backfill.show();
        QVERIFY(QTest::qWaitForWindowExposed(&backfill));
        EventStore store2;
        backfill.addBatch(feed(store2, mixedEvents().mid(40, 10)));
        QTRY_COMPARE(backfill.model()->index(0, EventsModel::TitleColumn).data().toString(),
                     QStringLiteral("Context for session 40"));
        QCOMPARE(backfill.titleCache()->queued(), 0);
    }

    void headerMenuHidesColumns()
    {
        EventsView view;
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QHeaderView *header = view.table()->horizontalHeader();
        // The menu is modal: act on it once it is up.
        QStringList entries;
        QTimer::singleShot(0, this, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            QVERIFY(menu);
            for (QAction *action : menu->actions())
                entries.append(action->text());
            for (QAction *action : menu->actions())
                if (action->text() == QStringLiteral("Tags"))
                    action->trigger();
            menu->close();
        });
        emit header->customContextMenuRequested(QPoint(10, 5));
        QCOMPARE(entries.size(), int(EventsModel::ColumnCount));
        QCOMPARE(entries.first(), QStringLiteral("Arrival"));
        QVERIFY(view.table()->isColumnHidden(EventsModel::TagsColumn));
        QVERIFY(QSettings().contains(QStringLiteral("eventsView/header"))); // saved at once
    }

    void columnSettingsPersist()
    {
        {
            EventsView view;
            view.table()->horizontalHeader()->setSectionHidden(EventsModel::TagsColumn, true);
            view.table()->horizontalHeader()->resizeSection(EventsModel::SchemaColumn, 321);
            view.setFollowTail(false);
        }
        EventsView again;
        QVERIFY(again.table()->isColumnHidden(EventsModel::TagsColumn));
        QVERIFY(!again.table()->isColumnHidden(EventsModel::TitleColumn));
        QCOMPARE(again.table()->horizontalHeader()->sectionSize(EventsModel::SchemaColumn), 321);
        QVERIFY(!again.followTail());
        QCOMPARE(again.table()->horizontalHeader()->sortIndicatorSection(), -1);
    }
};

QTEST_MAIN(TstEventsView)
#include "tst_eventsview.moc"
