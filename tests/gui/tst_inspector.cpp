// InspectorView against rcrt-sim (JWT mode, real HTTP): the record's context as tree and text,
// /full metadata, /history with the diff between versions, stale answers dropped, 404s, replay
// (no client), and the copy actions: raw JSON, and a curl command that never holds the token.
#include "model/eventstore.h"
#include "model/timestamp.h"
#include "net/restclient.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"
#include "ui/inspector/historypanel.h"
#include "ui/inspector/inspectorview.h"
#include "ui/inspector/jsonpretty.h"
#include "ui/inspector/jsontreemodel.h"
#include "ui/inspector/metadatapanel.h"

#include <QClipboard>
#include <QComboBox>
#include <QEventLoop>
#include <QGuiApplication>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace rcrt;
using rcrt::ui::DiffLine;
using rcrt::ui::InspectorView;
using rcrt::test::SimProcess;

namespace {

const QString kOwner = QStringLiteral("00000000-0000-0000-0000-000000000001");
const QString kAgent = QStringLiteral("00000000-0000-0000-0000-0000000000c7");

RestResult await(RestCall *call)
{
    RestResult out;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        out = result;
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}

// An SSE-shaped event for (id, version) with the given context text, through a real store.
EventRecord sseRecord(const QByteArray &id, int version, const QByteArray &context)
{
    const qint64 updated = nowNs() - 5'000'000;
    const QByteArray raw = "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\""
        + kOwner.toLatin1() + "\",\"version\":" + QByteArray::number(version)
        + ",\"tags\":[\"test:inspector\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\""
        + formatRfc3339Ns(updated) + "\",\"context\":" + context + '}';
    EventStore store;
    store.ingest({nowNs(), EventSource::Sse, raw});
    return store.at(0);
}

EventRecord listItemRecord(const QByteArray &id, int version)
{
    const QByteArray raw = "{\"id\":\"" + id + "\",\"title\":\"Add two numbers\",\"tags\":[],\"schema_name\":\"tool.request.v1\",\"version\":"
        + QByteArray::number(version) + ",\"updated_at\":\"" + formatRfc3339Ns(nowNs()) + "\"}";
    EventStore store;
    store.ingest({nowNs(), EventSource::Backfill, raw});
    return store.at(0);
}

// Answers every request kDelayMs late: /full with a title naming the path, others with [].
class SlowServer final : public QTcpServer
{
public:
    static constexpr int kDelayMs = 300;
    QList<QByteArray> paths;

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray &buffer = m_buffers[socket];
            buffer += socket->readAll();
            if (!buffer.contains("\r\n\r\n"))
                return;
            const QByteArray path = buffer.split(' ').value(1);
            buffer.clear();
            paths.append(path);
            QTimer::singleShot(kDelayMs, socket, [socket, path] {
                const QByteArray body = path.endsWith("/full")
                    ? "{\"title\":\"Title of " + path + "\",\"version\":1}"
                    : QByteArray("[]");
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                              + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            });
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }

private:
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TstInspector : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;
    SimProcess m_sim;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<RestClient> m_client;
    QByteArray m_id; // three versions, created in initTestCase

private slots:
    void initTestCase()
    {
        qRegisterMetaType<RestResult>();
        QVERIFY2(m_sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}), qPrintable(m_sim.error()));
        m_tokens = std::make_unique<TokenProvider>(&m_nam);
        QSignalSpy changed(m_tokens.get(), &TokenProvider::tokenChanged);
        TokenProvider::MintRequest mint;
        mint.ownerId = kOwner;
        mint.agentId = kAgent;
        m_tokens->setMint(m_sim.url(), mint);
        QVERIFY(changed.wait(10000));
        QVERIFY(!m_tokens->token().isEmpty());
        m_client = std::make_unique<RestClient>(&m_nam, m_sim.url(), m_tokens.get());

        const RestResult created = await(m_client->createBreadcrumb(
            R"({"title":"Add two numbers","description":"first inspector test","context":{"b":[1,2],"a":1},)"
            R"("tags":["test:inspector"],"schema_name":"tool.request.v1","visibility":"private","sensitivity":"pii"})"));
        QVERIFY2(created.ok(), qPrintable(created.error));
        m_id = created.createdId().toLatin1();
        QVERIFY(await(m_client->updateBreadcrumb(QString::fromLatin1(m_id), R"({"context":{"a":2,"b":[1,2]}})")).ok());
        QVERIFY(await(m_client->updateBreadcrumb(QString::fromLatin1(m_id), R"({"context":{"a":2,"b":[1,2,3],"c":"new"}})")).ok());
    }

    void showsRecordWithoutClient()
    {
        InspectorView view(static_cast<RestClient *>(nullptr));
        QSignalSpy loaded(&view, &InspectorView::metadataLoaded);
        const QByteArray context = R"({"b":[1,2],"a":12345678901234567890})";
        const EventRecord record = sseRecord(m_id, 1, context);
        view.setRecord(record);

        QCOMPARE(view.treeModel()->rowCount(), 2);
        QCOMPARE(view.textView()->toPlainText(), ui::prettyJson(context));
        QVERIFY(view.textView()->toPlainText().startsWith(QStringLiteral("{\n  \"b\""))); // wire order
        QVERIFY(view.textView()->toPlainText().contains(QStringLiteral("12345678901234567890"))); // exact
        QVERIFY(view.headingText().contains(QStringLiteral("tool.request.v1")));
        QVERIFY(view.headingText().contains(QString::fromLatin1(m_id)));
        QVERIFY(view.metadataPanel()->statusText().contains(QStringLiteral("Not connected")));
        QCOMPARE(view.metadataPanel()->fieldText(QLatin1String("owner_id")), kOwner);
        QCOMPARE(view.metadataPanel()->fieldText(QLatin1String("tags")), QStringLiteral("test:inspector"));
        QVERIFY(view.historyPanel()->statusText().contains(QStringLiteral("connection")));
        QCOMPARE(view.curlText(), QStringLiteral("curl -sS -H \"Authorization: Bearer $RCRT_TOKEN\" \"$RCRT_URL/breadcrumbs/%1/full\"")
                                      .arg(QString::fromLatin1(m_id)));
        QTest::qWait(InspectorView::kFetchDelayMs * 2);
        QCOMPARE(loaded.count(), 0);

        view.clear();
        QVERIFY(!view.hasRecord());
        QCOMPARE(view.treeModel()->rowCount(), 0);
        QVERIFY(view.curlText().isEmpty());
    }

    void fetchesFullAndHistoryWithDiff()
    {
        InspectorView view(m_client.get());
        QSignalSpy metadata(&view, &InspectorView::metadataLoaded);
        QSignalSpy history(&view, &InspectorView::historyLoaded);
        view.setRecord(sseRecord(m_id, 3, R"({"a":2,"b":[1,2,3],"c":"new"})"));
        QVERIFY(view.metadataPanel()->statusText().contains(QStringLiteral("Loading")));
        QVERIFY(metadata.wait(15000));
        QCOMPARE(metadata.first(), (QList<QVariant>{m_id, true}));
        const ui::MetadataPanel *panel = view.metadataPanel();
        QCOMPARE(panel->fieldText(QLatin1String("title")), QStringLiteral("Add two numbers"));
        QCOMPARE(panel->fieldText(QLatin1String("description")), QStringLiteral("first inspector test"));
        QCOMPARE(panel->fieldText(QLatin1String("visibility")), QStringLiteral("Private"));
        QCOMPARE(panel->fieldText(QLatin1String("sensitivity")), QStringLiteral("Pii"));
        QCOMPARE(panel->fieldText(QLatin1String("version")), QStringLiteral("3"));
        QCOMPARE(panel->fieldText(QLatin1String("owner_id")), kOwner);
        QCOMPARE(panel->fieldText(QLatin1String("created_by")), kAgent);
        QVERIFY(panel->fieldText(QLatin1String("checksum")).startsWith(QStringLiteral("sha256:")));
        QVERIFY(panel->fieldText(QLatin1String("size_bytes")).contains(QStringLiteral("bytes")));
        QVERIFY(panel->statusText().isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(history.count(), 1, 15000);
        QCOMPARE(history.first(), (QList<QVariant>{m_id, true}));
        ui::HistoryPanel *panel2 = view.historyPanel();
        QCOMPARE(panel2->entries().size(), 3);
        QCOMPARE(panel2->newCombo()->currentData().toInt(), 3);
        QCOMPARE(panel2->oldCombo()->currentData().toInt(), 2);
        const auto has = [&](DiffLine::Kind kind, const QString &text) {
            for (const DiffLine &line : panel2->currentDiff())
                if (line.kind == kind && line.text.contains(text))
                    return true;
            return false;
        };
        QVERIFY(has(DiffLine::Kind::Added, QStringLiteral("\"c\": \"new\"")));
        QVERIFY(has(DiffLine::Kind::Added, QStringLiteral("3")));
        QVERIFY(!has(DiffLine::Kind::Removed, QStringLiteral("\"a\"")));
        QVERIFY(panel2->summaryText().startsWith(QStringLiteral("+")));
        QVERIFY(panel2->diffView()->toPlainText().contains(QStringLiteral("+     \"c\": \"new\"")));

        panel2->compare(1, 3);
        QVERIFY(has(DiffLine::Kind::Removed, QStringLiteral("\"a\": 1")));
        QVERIFY(has(DiffLine::Kind::Added, QStringLiteral("\"a\": 2")));

        // The user picks versions with the combos.
        panel2->newCombo()->setCurrentIndex(panel2->newCombo()->findData(1));
        QCOMPARE(panel2->summaryText(), QStringLiteral("identical"));
        // Identical versions are shown whole, not folded away.
        QVERIFY(panel2->diffView()->toPlainText().startsWith(QStringLiteral("  {\n")));
        QVERIFY(!panel2->diffView()->toPlainText().contains(QStringLiteral("unchanged")));
    }

    void olderVersionSelected()
    {
        InspectorView view(m_client.get());
        QSignalSpy metadata(&view, &InspectorView::metadataLoaded);
        QSignalSpy history(&view, &InspectorView::historyLoaded);
        view.setRecord(sseRecord(m_id, 1, R"({"b":[1,2],"a":1})"));
        QVERIFY(metadata.wait(15000));
        QVERIFY(view.metadataPanel()->fieldText(QLatin1String("version")).contains(QStringLiteral("selected event is version 1")));
        QTRY_COMPARE_WITH_TIMEOUT(history.count(), 1, 15000);
        // The oldest version: compared with the one after it.
        QCOMPARE(view.historyPanel()->oldCombo()->currentData().toInt(), 1);
        QCOMPARE(view.historyPanel()->newCombo()->currentData().toInt(), 2);
    }

    void staleAnswersAreDropped()
    {
        // A server that answers only after a while, so the selection changes mid-request.
        SlowServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        RestClient slow(&m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())), nullptr);
        InspectorView view(&slow);
        QSignalSpy metadata(&view, &InspectorView::metadataLoaded);
        view.setRecord(sseRecord("aaaaaaaa-0000-4000-8000-000000000000", 1, "{}"));
        QTRY_VERIFY_WITH_TIMEOUT(server.paths.contains(QByteArray("/breadcrumbs/aaaaaaaa-0000-4000-8000-000000000000/full")), 5000);
        view.setRecord(sseRecord("bbbbbbbb-0000-4000-8000-000000000000", 1, "{}"));
        QVERIFY(metadata.wait(5000));
        QTest::qWait(2 * SlowServer::kDelayMs);
        QCOMPARE(metadata.count(), 1);
        QCOMPARE(metadata.first().first().toByteArray(), QByteArray("bbbbbbbb-0000-4000-8000-000000000000"));
        QCOMPARE(view.metadataPanel()->fieldText(QLatin1String("title")),
                 QStringLiteral("Title of /breadcrumbs/bbbbbbbb-0000-4000-8000-000000000000/full"));

        // The same event again (a repeat arrival) fetches nothing.
        const qsizetype asked = server.paths.size();
        view.setRecord(sseRecord("bbbbbbbb-0000-4000-8000-000000000000", 1, "{}"));
        QTest::qWait(InspectorView::kFetchDelayMs * 3);
        QCOMPARE(server.paths.size(), asked);
        QCOMPARE(metadata.count(), 1);
    }

    void deletedBreadcrumb()
    {
        InspectorView view(m_client.get());
        QSignalSpy metadata(&view, &InspectorView::metadataLoaded);
        QSignalSpy history(&view, &InspectorView::historyLoaded);
        view.setRecord(sseRecord(QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1(), 1, R"({"x":1})"));
        QVERIFY(metadata.wait(15000));
        QCOMPARE(metadata.first().at(1).toBool(), false);
        QVERIFY(view.metadataPanel()->statusText().contains(QStringLiteral("404")));
        QCOMPARE(view.treeModel()->rowCount(), 1); // the event's own context stays
        QTRY_COMPARE_WITH_TIMEOUT(history.count(), 1, 15000);
        QVERIFY(view.historyPanel()->statusText().contains(QStringLiteral("No history")));
    }

    void listItemGetsContextFromFull()
    {
        InspectorView view(m_client.get());
        QSignalSpy metadata(&view, &InspectorView::metadataLoaded);
        view.setRecord(listItemRecord(m_id, 3));
        QCOMPARE(view.treeModel()->rowCount(), 0);
        QVERIFY(metadata.wait(15000));
        QCOMPARE(view.treeModel()->rowCount(), 3); // a, b, c of version 3
        QVERIFY(view.textView()->toPlainText().contains(QStringLiteral("\"new\"")));
    }

    void copyActionsNeverCarryTheToken()
    {
        InspectorView view(m_client.get());
        const EventRecord record = sseRecord(m_id, 3, R"({"a":2})");
        view.setRecord(record);
        const QString expected = QStringLiteral("curl -sS -H \"Authorization: Bearer $RCRT_TOKEN\" '%1/breadcrumbs/%2/full'")
                                     .arg(m_sim.url().toString(), QString::fromLatin1(m_id));
        QCOMPARE(view.curlText(), expected);
        QVERIFY(!view.curlText().contains(m_tokens->token()));

        view.copyCurl();
        QCOMPARE(QGuiApplication::clipboard()->text(), expected);
        view.copyJson();
        QCOMPARE(QGuiApplication::clipboard()->text().toUtf8(), record.raw);
        QCOMPARE(view.jsonText(), record.raw);

        // Credentials and queries in a base URL stay out; a path prefix stays in.
        QCOMPARE(InspectorView::curlCommand(QUrl(QStringLiteral("https://user:secret@rcrt.example/api?token=abc")), "X"),
                 QStringLiteral("curl -sS -H \"Authorization: Bearer $RCRT_TOKEN\" 'https://rcrt.example/api/breadcrumbs/X/full'"));
    }
};

QTEST_MAIN(TstInspector)
#include "tst_inspector.moc"
