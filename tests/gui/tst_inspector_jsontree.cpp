// JsonTreeModel under QAbstractItemModelTester (objects, arrays, scalars, resets), its paths,
// display and parse errors; and prettyJson keeping wire order and exact numbers.
#include "ui/inspector/jsonpretty.h"
#include "ui/inspector/jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using rcrt::ui::JsonTreeModel;
using rcrt::ui::prettyJson;

namespace {

const QByteArray kContext = "{\"tool\":\"openrouter\",\"input\":{\"messages\":[{\"role\":\"system\",\"content\":\"line1\\nline2\"},{\"role\":\"user\",\"content\":\"hi\"}]},\"requestId\":\"llm-1\",\"n\":42,\"ratio\":0.5,\"ok\":true,\"none\":null,\"empty\":{},\"list\":[],\"weird key\":1}";

QModelIndex find(const JsonTreeModel &model, const QModelIndex &parent, const QString &key)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, JsonTreeModel::KeyColumn, parent);
        if (index.data().toString() == key)
            return index;
    }
    return {};
}

} // namespace

class TstInspectorJsonTree : public QObject
{
    Q_OBJECT

private slots:
    void structureUnderTester()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY2(model.setJsonText(kContext, &error), qPrintable(error));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.columnCount(), 3);

        const QModelIndex input = find(model, {}, QStringLiteral("input"));
        QVERIFY(input.isValid());
        QVERIFY(model.hasChildren(input));
        QCOMPARE(input.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("{1 key}"));
        QCOMPARE(input.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("object"));
        const QModelIndex messages = find(model, input, QStringLiteral("messages"));
        QCOMPARE(model.rowCount(messages), 2);
        QCOMPARE(messages.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("[2 items]"));
        const QModelIndex second = model.index(1, 0, messages);
        QCOMPARE(second.data().toString(), QStringLiteral("[1]"));
        QCOMPARE(model.parent(second), messages);
        QCOMPARE(model.parent(messages), input);
        QCOMPARE(model.parent(input), QModelIndex());
        const QModelIndex content = find(model, model.index(0, 0, messages), QStringLiteral("content"));
        QCOMPARE(content.data(JsonTreeModel::PathRole).toString(), QStringLiteral("$.input.messages[0].content"));
        QCOMPARE(content.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("line1\u23CEline2"));
        QCOMPARE(content.siblingAtColumn(JsonTreeModel::ValueColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("line1\nline2"));
        QCOMPARE(content.data(JsonTreeModel::JsonValueRole).value<QJsonValue>(), QJsonValue(QStringLiteral("line1\nline2")));

        const auto valueOf = [&](const char *key) {
            return find(model, {}, QString::fromUtf8(key)).siblingAtColumn(JsonTreeModel::ValueColumn).data().toString();
        };
        QCOMPARE(valueOf("n"), QStringLiteral("42"));
        QCOMPARE(valueOf("ratio"), QStringLiteral("0.5"));
        QCOMPARE(valueOf("ok"), QStringLiteral("true"));
        QCOMPARE(valueOf("none"), QStringLiteral("null"));
        QCOMPARE(valueOf("empty"), QStringLiteral("{0 keys}"));
        QVERIFY(!model.hasChildren(find(model, {}, QStringLiteral("list"))));
        QCOMPARE(find(model, {}, QStringLiteral("weird key")).data(JsonTreeModel::PathRole).toString(),
                 QStringLiteral("$[\"weird key\"]"));

        // Children of a non-first column do not exist (tree convention the tester checks too).
        QCOMPARE(model.rowCount(input.siblingAtColumn(1)), 0);
    }

    void resetsAndScalars()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJsonText("\"just text\""));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("just text"));
        QCOMPARE(model.index(0, JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("string"));
        QVERIFY(model.setJsonText("null"));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.setJsonText("[1,[2,[3]]]"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data(JsonTreeModel::PathRole).toString(), QStringLiteral("$[1]"));
        QString error;
        QVERIFY(!model.setJsonText("{\"a\":", &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.setJsonText("1 2", &error));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void prettyText()
    {
        QCOMPARE(JsonTreeModel::prettyText(QJsonValue(3.0)), QStringLiteral("3"));
        QCOMPARE(JsonTreeModel::prettyText(QJsonValue(QStringLiteral("a\"b"))), QStringLiteral("\"a\\\"b\""));
        QCOMPARE(JsonTreeModel::prettyText(QJsonDocument::fromJson("{\"b\":1,\"a\":[true]}").object()),
                 QStringLiteral("{\n    \"a\": [\n        true\n    ],\n    \"b\": 1\n}"));
    }

    void prettyJsonKeepsWireOrderAndNumbers_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("order and numbers") << QByteArray("{\"z\":12345678901234567890,\"a\":1.50}")
                                           << QStringLiteral("{\n  \"z\": 12345678901234567890,\n  \"a\": 1.50\n}");
        QTest::newRow("nested and empty") << QByteArray(" {\"a\" : [ 1 , {} ,[ ]],\"b\":{ }} ")
                                          << QStringLiteral("{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"b\": {}\n}");
        QTest::newRow("strings untouched") << QByteArray("{\"s\":\"a, b: {c} [d] \\\"e\\\" \\\\\"}")
                                           << QStringLiteral("{\n  \"s\": \"a, b: {c} [d] \\\"e\\\" \\\\\"\n}");
        QTest::newRow("scalar") << QByteArray(" true ") << QStringLiteral("true");
        QTest::newRow("utf8") << QByteArray("[\"caf\xc3\xa9\"]") << QStringLiteral("[\n  \"caf\u00e9\"\n]");
        QTest::newRow("unterminated string") << QByteArray("[\"abc") << QStringLiteral("[\n  \"abc");
    }

    void prettyJsonKeepsWireOrderAndNumbers()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        QCOMPARE(prettyJson(input), expected);
    }
};

QTEST_MAIN(TstInspectorJsonTree)
#include "tst_inspector_jsontree.moc"
