// The manual invocation dialog: catalog (built-ins and the server's tool.code.v1), filter,
// prefill, live validation and its gating of Send, "connect first" without a connection or in
// replay, bad "send again" payloads, and a real send against rcrt-sim's own runner.

#include "app/ingestengine.h"
#include "app/runner/toolregistry.h"
#include "net/restclient.h"
#include "support/simprocess.h"
#include "ui/tools/invokedialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace rcrt;
using namespace rcrt::ui;

namespace {

QByteArray requestPayload(const QJsonObject &context, const QJsonArray &tags = {QStringLiteral("tool:request"),
                                                                                QStringLiteral("workspace:ops")})
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("breadcrumb.updated")},
                                     {QStringLiteral("breadcrumb_id"), QStringLiteral("7d3c1f1e-0000-4000-8000-000000000001")},
                                     {QStringLiteral("version"), 1},
                                     {QStringLiteral("schema_name"), QStringLiteral("tool.request.v1")},
                                     {QStringLiteral("tags"), tags},
                                     {QStringLiteral("context"), context}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestInvokeDialog : public QObject
{
    Q_OBJECT

    test::SimProcess m_sim;
    std::unique_ptr<IngestEngine> m_engine; // connected to m_sim
    QNetworkAccessManager m_nam;
    std::unique_ptr<RestClient> m_rest;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // The demo workload bootstraps tool.code.v1 for the runner's tools; its runner answers.
        QVERIFY2(m_sim.start({QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--quiet")}),
                 qPrintable(m_sim.error()));
        m_rest = std::make_unique<RestClient>(&m_nam, m_sim.url(), nullptr);
        m_engine = std::make_unique<IngestEngine>();
        ConnectionSettings settings;
        settings.url = m_sim.url();
        m_engine->connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(m_engine->isLive(), 10000);
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_sim.stop();
    }

    void offlineListsBuiltinsAndSaysConnectFirst()
    {
        IngestEngine offline;
        RestClient rest(&m_nam, QUrl(), nullptr);
        InvokeDialog dialog(&offline, &rest);
        dialog.show();
        for (const QString &name : ToolRegistry::builtins().names())
            QVERIFY2(dialog.catalog()->rowOf(name, ToolEntry::Origin::Builtin) >= 0, qPrintable(name));
        QCOMPARE(dialog.catalog()->serverToolCount(), 0);
        QVERIFY(dialog.selectTool(QStringLiteral("echo")));
        QVERIFY(dialog.problems().isEmpty()); // the example is valid...
        QVERIFY(!dialog.sendButton()->isEnabled()); // ...but there is nowhere to send it
        QVERIFY2(dialog.noticeText().contains(QStringLiteral("connect first")), qPrintable(dialog.noticeText()));
        dialog.send();
        QVERIFY2(dialog.statusText().contains(QStringLiteral("connect first")), qPrintable(dialog.statusText()));
        QVERIFY(!dialog.lastSnapshot());

        dialog.setReplayMode(true);
        QVERIFY(dialog.noticeText().contains(QStringLiteral("Replaying a session")));
        QVERIFY(dialog.noticeText().contains(QStringLiteral("live connection")));
    }

    void filterAndPrefillFromExamples()
    {
        IngestEngine offline;
        InvokeDialog dialog(&offline, nullptr);
        dialog.filterEdit()->setText(QStringLiteral("arith")); // matches calculator's description
        QVERIFY(dialog.toolList()->model()->rowCount() >= 1);
        for (int row = 0; row < dialog.toolList()->model()->rowCount(); ++row)
            QVERIFY(dialog.toolList()->model()->index(row, 0).data(ToolCatalogModel::SearchTextRole).toString()
                        .contains(QStringLiteral("arith"), Qt::CaseInsensitive));
        dialog.filterEdit()->setText(QStringLiteral("no such tool at all"));
        QCOMPARE(dialog.toolList()->model()->rowCount(), 0);

        QVERIFY(dialog.selectTool(QStringLiteral("random"), ToolEntry::Origin::Builtin));
        QCOMPARE(dialog.currentTool(), QStringLiteral("random"));
        const QJsonArray examples = ToolRegistry::builtins().find(QStringLiteral("random"))->examples();
        QCOMPARE(dialog.input().value_or(QJsonValue::Undefined), examples.first().toObject().value(QStringLiteral("input")));

        // Without examples: an input made from the schema.
        ToolEntry bare{QStringLiteral("bare"), {}, QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                                               {QStringLiteral("required"), QJsonArray{QStringLiteral("n")}},
                                                               {QStringLiteral("properties"),
                                                                QJsonObject{{QStringLiteral("n"),
                                                                             QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                                                                         {QStringLiteral("minimum"), 3}}}}}},
                       {}, ToolEntry::Origin::Server};
        dialog.catalog()->addEntry(bare);
        QVERIFY(dialog.selectTool(QStringLiteral("bare")));
        QCOMPARE(dialog.input().value_or(QJsonValue::Undefined), QJsonValue(QJsonObject{{QStringLiteral("n"), 3}}));
    }

    void invalidJsonIsPointedAtAndBlocksSend()
    {
        InvokeDialog dialog(m_engine.get(), m_rest.get());
        QVERIFY(dialog.selectTool(QStringLiteral("calculator"), ToolEntry::Origin::Builtin));
        QVERIFY(dialog.canSend());
        dialog.editor()->setPlainText(QStringLiteral("{\n  \"expression\": \n}"));
        QVERIFY(!dialog.canSend());
        QVERIFY(!dialog.sendButton()->isEnabled());
        QCOMPARE(dialog.problems().size(), 1);
        QVERIFY2(dialog.problems().first().contains(QStringLiteral("Not valid JSON at line 3")),
                 qPrintable(dialog.problems().first()));
        dialog.editor()->setPlainText(QStringLiteral("{} {}"));
        QVERIFY(!dialog.canSend());
        dialog.editor()->setPlainText(QString());
        QVERIFY(dialog.problems().first().contains(QStringLiteral("empty")));
        QVERIFY(!dialog.canSend());
        dialog.editor()->setPlainText(QStringLiteral(R"({"expression": "1+1"})"));
        QVERIFY(dialog.canSend());
        dialog.workspaceEdit()->clear();
        QVERIFY(!dialog.sendButton()->isEnabled());
    }

    void schemaProblemsBlockBuiltinsButOnlyWarnForServerTools()
    {
        InvokeDialog dialog(m_engine.get(), m_rest.get());
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.catalog()->serverToolCount() >= 5, 10000);
        const QString wrong = QStringLiteral(R"({"expression": 5})"); // not a string

        QVERIFY(dialog.selectTool(QStringLiteral("calculator"), ToolEntry::Origin::Builtin));
        dialog.editor()->setPlainText(wrong);
        QVERIFY(!dialog.problems().isEmpty());
        QVERIFY(dialog.problems().join(u' ').contains(QStringLiteral("expression")));
        QVERIFY(!dialog.canSend());

        QVERIFY(dialog.selectTool(QStringLiteral("calculator"), ToolEntry::Origin::Server));
        QCOMPARE(dialog.catalog()->entry(dialog.catalog()->rowOf(QStringLiteral("calculator"), ToolEntry::Origin::Server)).origin,
                 ToolEntry::Origin::Server);
        dialog.editor()->setPlainText(wrong);
        QVERIFY(!dialog.problems().isEmpty());
        QVERIFY(dialog.canSend());

        // A server-only tool, prefilled from its tool.code.v1 example.
        QVERIFY(dialog.selectTool(QStringLiteral("openrouter")));
        QVERIFY(dialog.input().value_or(QJsonValue::Undefined).toObject().contains(QStringLiteral("messages")));
    }

    void sendAgainPayloadsAreCheckedAndPrefill()
    {
        IngestEngine offline;
        InvokeDialog dialog(&offline, nullptr);
        QVERIFY(!dialog.prefillFromRequest("not json"));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("not a JSON object")), qPrintable(dialog.statusText()));
        QVERIFY(!dialog.prefillFromRequest(R"({"schema_name":"tool.response.v1","context":{}})"));
        QVERIFY(dialog.statusText().contains(QStringLiteral("not a tool.request.v1")));
        QVERIFY(!dialog.prefillFromRequest(R"({"id":"x","schema_name":"tool.request.v1","tags":["tool:request"]})"));
        QVERIFY(dialog.statusText().contains(QStringLiteral("no context")));
        QVERIFY(!dialog.prefillFromRequest(requestPayload(QJsonObject{{QStringLiteral("input"), 1}})));
        QVERIFY(dialog.statusText().contains(QStringLiteral("context.tool")));

        const QJsonObject input{{QStringLiteral("message"), QStringLiteral("again")}};
        QVERIFY(dialog.prefillFromRequest(requestPayload(
            QJsonObject{{QStringLiteral("tool"), QStringLiteral("echo")}, {QStringLiteral("input"), input},
                        {QStringLiteral("requestId"), QStringLiteral("r-1")}})));
        QCOMPARE(dialog.currentTool(), QStringLiteral("echo"));
        QCOMPARE(dialog.input().value_or(QJsonValue::Undefined), QJsonValue(input));
        QCOMPARE(dialog.workspaceEdit()->text(), QStringLiteral("workspace:ops"));

        // A tool nobody lists still comes back, as an entry of its own without a schema.
        QVERIFY(dialog.prefillFromRequest(requestPayload(
            QJsonObject{{QStringLiteral("tool"), QStringLiteral("mystery")}, {QStringLiteral("input"), QJsonArray{1, 2}}})));
        QCOMPARE(dialog.currentTool(), QStringLiteral("mystery"));
        QCOMPARE(dialog.catalog()->entry(dialog.catalog()->rowOf(QStringLiteral("mystery"))).origin, ToolEntry::Origin::Request);
        QCOMPARE(dialog.input().value_or(QJsonValue::Undefined), QJsonValue(QJsonArray{1, 2}));
        QVERIFY(dialog.problems().isEmpty());
    }

    void sendAndSendAgainAgainstTheServersRunner()
    {
        InvokeDialog dialog(m_engine.get(), m_rest.get());
        dialog.show();
        QVERIFY(dialog.selectTool(QStringLiteral("echo"), ToolEntry::Origin::Builtin));
        dialog.editor()->setPlainText(QStringLiteral(R"({"message": "hello from the dialog"})"));
        QVERIFY(!dialog.sendAgainButton()->isEnabled());
        QTest::mouseClick(dialog.sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.lastSnapshot() && dialog.lastSnapshot()->isFinished(), 15000);
        QCOMPARE(dialog.lastSnapshot()->status, ToolInvocation::Status::Success);
        QVERIFY(dialog.responseView()->toPlainText().contains(QStringLiteral("hello from the dialog")));
        QVERIFY(dialog.statusText().startsWith(QStringLiteral("Success")));
        // The server's runner answered: the response came by SSE only.
        QVERIFY(dialog.stepText(InvokeDialog::WriteAck).startsWith(u'+'));
        QVERIFY(dialog.stepText(InvokeDialog::RequestLocal).startsWith(u'+'));
        QVERIFY(dialog.stepText(InvokeDialog::ResponseSse).startsWith(u'+'));
        QCOMPARE(dialog.stepText(InvokeDialog::ResponseLocal), QStringLiteral("—"));
        const QString firstRequestId = dialog.lastSnapshot()->requestId;

        // Send again: the same input, even after the editor changed; a new requestId.
        dialog.editor()->setPlainText(QStringLiteral(R"({"message": "edited"})"));
        QVERIFY(dialog.sendAgainButton()->isEnabled());
        QTest::mouseClick(dialog.sendAgainButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.lastSnapshot() && dialog.lastSnapshot()->isFinished()
                                     && dialog.lastSnapshot()->requestId != firstRequestId,
                                 15000);
        QCOMPARE(dialog.lastSnapshot()->status, ToolInvocation::Status::Success);
        QVERIFY(dialog.responseView()->toPlainText().contains(QStringLiteral("hello from the dialog")));
    }
};

QTEST_MAIN(TestInvokeDialog)
#include "tst_invokedialog.moc"
