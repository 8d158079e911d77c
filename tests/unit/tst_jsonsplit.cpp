#include "model/jsonsplit.h"

#include <QTest>

using rcrt::splitJsonArray;

class TestJsonSplit : public QObject
{
    Q_OBJECT
private slots:
    void splitsElements_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QList<QByteArray>>("elements");

        QTest::newRow("empty array") << QByteArray("[]") << QList<QByteArray>{};
        QTest::newRow("empty array with spaces") << QByteArray(" [ \n ] ") << QList<QByteArray>{};
        QTest::newRow("scalars") << QByteArray("[1,-2.5e3,true,false,null,\"s\"]")
                                 << QList<QByteArray>{"1", "-2.5e3", "true", "false", "null", "\"s\""};
        QTest::newRow("REST list items")
            << QByteArray("[{\"id\":\"4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\",\"title\":\"a\",\"tags\":[\"x\"],\"schema_name\":null,\"version\":1,\"updated_at\":\"2025-11-07T10:30:00.101532Z\"},{\"id\":\"9a2e5b1c-3d4f-4a6b-8c7d-0e1f2a3b4c5d\",\"title\":\"b\",\"tags\":[],\"schema_name\":\"s\",\"version\":4,\"updated_at\":\"2025-11-07T10:30:00Z\"}]")
            << QList<QByteArray>{
                   "{\"id\":\"4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\",\"title\":\"a\",\"tags\":[\"x\"],\"schema_name\":null,\"version\":1,\"updated_at\":\"2025-11-07T10:30:00.101532Z\"}",
                   "{\"id\":\"9a2e5b1c-3d4f-4a6b-8c7d-0e1f2a3b4c5d\",\"title\":\"b\",\"tags\":[],\"schema_name\":\"s\",\"version\":4,\"updated_at\":\"2025-11-07T10:30:00Z\"}"};
        QTest::newRow("nested arrays and objects")
            << QByteArray("[[1,[2,[3]]],{\"a\":{\"b\":[{\"c\":[]}]}},[]]")
            << QList<QByteArray>{"[1,[2,[3]]]", "{\"a\":{\"b\":[{\"c\":[]}]}}", "[]"};
        QTest::newRow("strings with brackets, quotes and commas")
            << QByteArray("[\"],[\",\"{\\\"}\",{\"k\":\"]}],{\",\"x\\\\\":\"}\"},\"\\u005d\"]")
            << QList<QByteArray>{"\"],[\"", "\"{\\\"}\"", "{\"k\":\"]}],{\",\"x\\\\\":\"}\"}", "\"\\u005d\""};
        QTest::newRow("whitespace everywhere keeps inner bytes")
            << QByteArray("\n[\t{ \"a\" : [ 1 , 2 ] } ,\r\n  \"x\"  ,\n 3 \n]\n")
            << QList<QByteArray>{"{ \"a\" : [ 1 , 2 ] }", "\"x\"", "3"};
        QTest::newRow("utf-8 text") << QByteArray("[\"✅ ok\",{\"m\":\"é\"}]")
                                    << QList<QByteArray>{"\"✅ ok\"", "{\"m\":\"é\"}"};
    }
    void splitsElements()
    {
        QFETCH(QByteArray, json);
        QFETCH(QList<QByteArray>, elements);
        QString error;
        const auto result = splitJsonArray(json, &error);
        QVERIFY2(result.has_value(), qPrintable(error));
        QCOMPARE(*result, elements);
    }

    void rejectsNonArrays_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("blank") << QByteArray("  \n");
        QTest::newRow("object") << QByteArray("{\"a\":[1,2]}");
        QTest::newRow("scalar") << QByteArray("42");
        QTest::newRow("string") << QByteArray("\"[1,2]\"");
        QTest::newRow("truncated") << QByteArray("[{\"id\":\"a\",\"version\":1},{\"id\":\"b\",\"vers");
        QTest::newRow("missing close") << QByteArray("[1,2");
        QTest::newRow("trailing comma") << QByteArray("[1,2,]");
        QTest::newRow("leading comma") << QByteArray("[,1]");
        QTest::newRow("two arrays") << QByteArray("[1][2]");
        QTest::newRow("trailing garbage") << QByteArray("[1,2] x");
        QTest::newRow("bad element inside") << QByteArray("[{\"a\":tru}]");
        QTest::newRow("unbalanced") << QByteArray("[{\"a\":1]]");
        QTest::newRow("html error page") << QByteArray("<html><body>502 Bad Gateway</body></html>");
        QTest::newRow("plain-text server error") << QByteArray("internal error: pool timed out");
        QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\xfe\"]");
    }
    void rejectsNonArrays()
    {
        QFETCH(QByteArray, json);
        QString error;
        const auto result = splitJsonArray(json, &error);
        QVERIFY(!result.has_value());
        QVERIFY2(!error.isEmpty(), "a rejection must say why");
    }

    void elementsDecodeIndependently()
    {
        // Every element is itself a complete JSON text: splitting [a,b] and re-joining the
        // parts gives back the same values.
        const QByteArray json = "[ {\"x\":[1,{\"y\":\"]\"}]} , [ \"a\" ] ]";
        const auto parts = splitJsonArray(json);
        QVERIFY(parts);
        QCOMPARE(parts->size(), 2);
        const QByteArray rejoined = '[' + parts->join(',') + ']';
        const auto again = splitJsonArray(rejoined);
        QVERIFY(again);
        QCOMPARE(*again, *parts);
    }
};

QTEST_GUILESS_MAIN(TestJsonSplit)
#include "tst_jsonsplit.moc"
