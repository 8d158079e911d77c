// What the in-process runner answers (rcrt-protocol.md §5.2 shape, always tagged request:<id>),
// including every error it reports instead of staying silent, and what it ignores (§5.1).
// Also: a local write and its later SSE copy are one EventStore record with two arrivals.

#include "tst_runner_rig.h"

#include "model/decoder.h"
#include "net/tokenprovider.h"

#include <QRegularExpression>

using namespace rcrt;
using namespace rcrt::test;

namespace {

QStringList tagsOf(const QJsonObject &b)
{
    QStringList tags;
    for (const QJsonValue &t : b.value(QStringLiteral("tags")).toArray())
        tags << t.toString();
    return tags;
}

} // namespace

class TestRunnerResponses : public QObject
{
    Q_OBJECT

    SimProcess m_sim;
    std::unique_ptr<ConsoleRig> m_console;
    QNetworkAccessManager m_nam;
    std::unique_ptr<RestClient> m_other;

    // The one response to `requestId`, waiting for it.
    QJsonObject responseTo(const QString &requestId)
    {
        QList<QJsonObject> found;
        (void)QTest::qWaitFor([&] {
            found = listWithContext(*m_other, QStringLiteral("tool.response.v1"), QStringLiteral("request:") + requestId);
            return !found.isEmpty();
        }, 10000);
        return found.size() == 1 ? found.first() : QJsonObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(m_sim.error()));
        m_console = std::make_unique<ConsoleRig>(m_sim.url());
        QVERIFY(m_console->start());
        m_console->node.setRunnerEnabled(true, testRunnerOptions(4, 300));
        m_other = std::make_unique<RestClient>(&m_nam, m_sim.url(), nullptr);
    }

    void cleanupTestCase() { m_console.reset(); }

    void successShape()
    {
        const QString requestBreadcrumb = createRequest(*m_other, QStringLiteral("echo"),
                                                        QJsonObject{{QStringLiteral("message"), QStringLiteral("hé ✅")}},
                                                        QStringLiteral("shape-1"));
        const QJsonObject r = responseTo(QStringLiteral("shape-1"));
        QCOMPARE(r.value(QStringLiteral("title")).toString(), QStringLiteral("Response: echo"));
        QCOMPARE(tagsOf(r), (QStringList{QStringLiteral("workspace:tools"), QStringLiteral("tool:response"),
                                         QStringLiteral("request:shape-1")}));
        const QJsonObject c = r.value(QStringLiteral("context")).toObject();
        QCOMPARE(c.value(QStringLiteral("request_id")).toString(), QStringLiteral("shape-1"));
        QCOMPARE(c.value(QStringLiteral("tool")).toString(), QStringLiteral("echo"));
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        QCOMPARE(c.value(QStringLiteral("output")).toObject().value(QStringLiteral("echo")).toString(), QStringLiteral("hé ✅"));
        QVERIFY(c.value(QStringLiteral("execution_time_ms")).isDouble());
        QVERIFY(QRegularExpression(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"))
                    .match(c.value(QStringLiteral("timestamp")).toString()).hasMatch());
        QVERIFY(!c.contains(QStringLiteral("error")));
        QVERIFY(!requestBreadcrumb.isEmpty());
    }

    void correlationFallsBackToTheBreadcrumbIdAndTagsLlm()
    {
        const QString id = createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("x")}});
        QCOMPARE(responseTo(id).value(QStringLiteral("context")).toObject().value(QStringLiteral("request_id")).toString(), id);
        createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("x")}},
                      QStringLiteral("llm-1-abc"));
        QVERIFY(tagsOf(responseTo(QStringLiteral("llm-1-abc"))).contains(QStringLiteral("request:llm")));
    }

    void errorsAreAnsweredAndTagged_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QJsonValue>("input");
        QTest::addColumn<bool>("withInput");
        QTest::addColumn<QString>("errorFragment");
        QTest::newRow("unknown tool") << "openrouter" << QJsonValue(QJsonObject{}) << true << "openrouter";
        QTest::newRow("no input") << "echo" << QJsonValue() << false << "no input";
        QTest::newRow("null input") << "echo" << QJsonValue(QJsonValue::Null) << true << "no input";
        QTest::newRow("no tool") << "" << QJsonValue(QJsonObject{}) << true << "no tool";
        QTest::newRow("schema") << "echo" << QJsonValue(QJsonObject{{QStringLiteral("message"), 5}}) << true << "input.message";
        QTest::newRow("too large") << "echo"
                                   << QJsonValue(QJsonObject{{QStringLiteral("message"), QString(300 * 1024, QLatin1Char('a'))}})
                                   << true << "limit";
        QTest::newRow("timeout") << "sleep" << QJsonValue(QJsonObject{{QStringLiteral("ms"), 5000}}) << true
                                 << "timed out after 300 ms";
    }

    void errorsAreAnsweredAndTagged()
    {
        QFETCH(QString, tool);
        QFETCH(QJsonValue, input);
        QFETCH(bool, withInput);
        QFETCH(QString, errorFragment);
        const QString requestId = QStringLiteral("err-") + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
        QVERIFY(!createRequest(*m_other, tool, input, requestId,
                               {QStringLiteral("tool:request"), QStringLiteral("workspace:tools")}, withInput).isEmpty());
        const QJsonObject r = responseTo(requestId);
        QVERIFY2(!r.isEmpty(), "exactly one response expected");
        QVERIFY(tagsOf(r).contains(QStringLiteral("request:") + requestId));
        QVERIFY(r.value(QStringLiteral("title")).toString().startsWith(QStringLiteral("Error: ")));
        const QJsonObject c = r.value(QStringLiteral("context")).toObject();
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        QVERIFY2(c.value(QStringLiteral("error")).toString().contains(errorFragment),
                 qPrintable(c.value(QStringLiteral("error")).toString()));
        QVERIFY(!c.contains(QStringLiteral("output")));
    }

    void requestsOutsideTheFilterAreIgnored()
    {
        const qint64 doneBefore = m_console->node.runner()->stats().done + m_console->node.runner()->stats().failed;
        createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("a")}},
                      QStringLiteral("ign-ws"), {QStringLiteral("tool:request"), QStringLiteral("workspace:agents")});
        createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("a")}},
                      QStringLiteral("ign-health"),
                      {QStringLiteral("tool:request"), QStringLiteral("workspace:tools"), QStringLiteral("health:check")});
        createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("a")}},
                      QStringLiteral("ign-tag"), {QStringLiteral("workspace:tools")});
        // A marker request after them: once it is answered, the three were seen and skipped.
        createRequest(*m_other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("a")}},
                      QStringLiteral("ign-marker"));
        QVERIFY(!responseTo(QStringLiteral("ign-marker")).isEmpty());
        const auto counts = responseCounts(*m_other);
        QVERIFY(!counts.contains(QStringLiteral("ign-ws")));
        QVERIFY(!counts.contains(QStringLiteral("ign-health")));
        QVERIFY(!counts.contains(QStringLiteral("ign-tag")));
        QTRY_COMPARE(m_console->node.runner()->stats().done + m_console->node.runner()->stats().failed, doneBefore + 1);
    }

    void localWriteAndSseCopyAreOneRecordWithTwoArrivals()
    {
        const QJsonObject body{{QStringLiteral("title"), QStringLiteral("note")},
                               {QStringLiteral("schema_name"), QStringLiteral("note.v1")},
                               {QStringLiteral("tags"), QJsonArray{QStringLiteral("note")}},
                               {QStringLiteral("context"), QJsonObject{{QStringLiteral("text"), QStringLiteral("ünïcode")}}}};
        BreadcrumbWrite *write = m_console->node.writer().create(body);
        QSignalSpy written(write, &BreadcrumbWrite::finished);
        QVERIFY(written.wait(5000));
        const WriteReport report = written.first().first().value<WriteReport>();
        QVERIFY2(report.ok(), qPrintable(report.error));
        QCOMPARE(report.version, 1);
        QVERIFY(report.sentNs > 0 && report.ackNs >= report.sentNs);
        const QByteArray id = report.id.toLatin1();
        QCOMPARE(report.localEvent.source, EventSource::Local);
        QTRY_VERIFY_WITH_TIMEOUT(m_console->store.seqOf(id, 1).has_value(), 2000);
        // The local and the SSE copy are two arrivals of one record.
        QTRY_VERIFY_WITH_TIMEOUT(m_console->store.recordBySeq(*m_console->store.seqOf(id, 1))->arrivalCount() == 2, 5000);
        const EventRecord record = *m_console->store.recordBySeq(*m_console->store.seqOf(id, 1));
        // On loopback without delay either may come first: the server publishes before it
        // answers the POST. Both are kept.
        const EventSource a = record.first.source, b = record.laterArrivals.first().source;
        QVERIFY((a == EventSource::Local && b == EventSource::Sse) || (a == EventSource::Sse && b == EventSource::Local));
        QCOMPARE(m_console->store.seqsForId(id).size(), qsizetype(1));

        // An update with If-Match and the whole envelope: version 2 without a read-back.
        BreadcrumbWrite *update = m_console->node.writer().update(report.id, body, 1);
        QSignalSpy updated(update, &BreadcrumbWrite::finished);
        QVERIFY(updated.wait(5000));
        QCOMPARE(updated.first().first().value<WriteReport>().version, 2);
        // A partial update (title only): the version is read back.
        BreadcrumbWrite *partial = m_console->node.writer().update(report.id, QJsonObject{{QStringLiteral("title"), QStringLiteral("t")}});
        QSignalSpy partialDone(partial, &BreadcrumbWrite::finished);
        QVERIFY(partialDone.wait(5000));
        const WriteReport partialReport = partialDone.first().first().value<WriteReport>();
        QCOMPARE(partialReport.version, 3);
        QVERIFY(partialReport.localEvent.raw.contains("\"ünïcode\"") || partialReport.localEvent.raw.contains("ünïcode"));
        QTRY_COMPARE_WITH_TIMEOUT(m_console->store.latestVersion(id), 3, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_console->store.recordBySeq(*m_console->store.seqOf(id, 3))->arrivalCount() == 2, 5000);
    }

    void localPayloadCarriesTheTokensOwner()
    {
        const QByteArray owner("00000000-0000-0000-0000-0000000000ab");
        const auto b64 = [](const QByteArray &json) {
            return json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        TokenProvider tokens(&m_nam);
        tokens.setStaticToken(QString::fromLatin1(b64(R"({"alg":"RS256"})") + '.'
                                                  + b64(R"({"sub":"00000000-0000-0000-0000-0000000000cc","owner_id":")" + owner + R"("})")
                                                  + ".sig"));
        LocalBus bus;
        const QJsonObject body{{QStringLiteral("title"), QStringLiteral("owned")},
                               {QStringLiteral("tags"), QJsonArray{}},
                               {QStringLiteral("context"), QStringLiteral("a scalar context")}};
        for (TokenProvider *provider : {&tokens, static_cast<TokenProvider *>(nullptr)}) {
            BreadcrumbWriter writer(m_other.get(), &bus, provider);
            QSignalSpy done(writer.create(body), &BreadcrumbWrite::finished);
            QVERIFY(done.wait(5000));
            const WriteReport r = done.first().first().value<WriteReport>();
            QVERIFY2(r.ok(), qPrintable(r.error));
            Decoder decoder;
            QString error;
            const auto envelope = decoder.decode(r.localEvent.raw, &error);
            QVERIFY2(envelope, qPrintable(error));
            QCOMPARE(envelope->breadcrumbId, r.id.toLatin1());
            QCOMPARE(envelope->version, 1);
            QVERIFY(!envelope->hasSchema); // schema_name null, as the server sends it
            QCOMPARE(envelope->contextIn(r.localEvent.raw).toByteArray(), QByteArray("\"a scalar context\""));
            QCOMPARE(envelope->hasOwner, provider != nullptr);
            if (provider)
                QCOMPARE(envelope->ownerId, owner);
        }
    }

    void failedWritesReportAndPublishNothing()
    {
        const qint64 before = m_console->node.bus().publishedCount();
        // If-Match against a stale version → 412, nothing on the local bus.
        const QString id = createRequest(*m_other, QStringLiteral("nothing"), QJsonObject{}, {},
                                         {QStringLiteral("unrelated")});
        BreadcrumbWrite *stale = m_console->node.writer().update(id, QJsonObject{{QStringLiteral("title"), QStringLiteral("x")}}, 7);
        QSignalSpy done(stale, &BreadcrumbWrite::finished);
        QVERIFY(done.wait(5000));
        const WriteReport r = done.first().first().value<WriteReport>();
        QCOMPARE(r.httpStatus, 412);
        QVERIFY(!r.ok());
        QVERIFY(r.localEvent.raw.isEmpty());
        // A create the server rejects (no title → 422).
        BreadcrumbWrite *bad = m_console->node.writer().create(QJsonObject{{QStringLiteral("context"), QJsonObject{}}});
        QSignalSpy badDone(bad, &BreadcrumbWrite::finished);
        QVERIFY(badDone.wait(5000));
        QCOMPARE(badDone.first().first().value<WriteReport>().httpStatus, 422);
        QCOMPARE(m_console->node.bus().publishedCount(), before);
    }
};

QTEST_GUILESS_MAIN(TestRunnerResponses)
#include "tst_runner_responses.moc"
