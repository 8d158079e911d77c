// PayloadArena (shared-block payloads) and SseParser's pooled mode, which must dispatch exactly
// what the default mode does.

#include "model/payloadarena.h"
#include "net/sseparser.h"

#include <QTest>

using namespace rcrt;

namespace {

QList<QByteArray> parse(QByteArrayView input, bool pooled, qsizetype chunk)
{
    QList<QByteArray> out;
    SseParser::Handlers handlers;
    handlers.event = [&out](SseEvent &&event) { out.append(std::move(event.data)); };
    SseParser parser(std::move(handlers));
    parser.setPooledData(pooled);
    for (qsizetype i = 0; i < input.size(); i += chunk)
        parser.feed(input.sliced(i, std::min(chunk, input.size() - i)));
    return out;
}

} // namespace

class TestPayloadArena : public QObject
{
    Q_OBJECT
private slots:
    void payloadsShareABlockAndOutliveTheArena()
    {
        QByteArray a;
        QByteArray b;
        {
            PayloadArena arena(64);
            arena.append("hello", 5);
            a = arena.take();
            arena.append("world!", 6);
            b = arena.take();
        }
        QCOMPARE(a, QByteArray("hello"));
        QCOMPARE(b, QByteArray("world!"));
        QCOMPARE(a.constData()[a.size()], '\0'); // NUL-terminated like any QByteArray
        QCOMPARE(b.constData()[b.size()], '\0');
        QCOMPARE(b.constData() - a.constData(), 6); // one block
        a.append(" there"); // detaches: b is untouched
        QCOMPARE(a, QByteArray("hello there"));
        QCOMPARE(b, QByteArray("world!"));
    }

    void openPayloadMovesWhenItOutgrowsTheBlock()
    {
        PayloadArena arena(16);
        arena.append("0123456789", 10);
        const QByteArray first = arena.take();
        QByteArray big(100, 'x');
        arena.append(big.constData(), 50);
        arena.append(big.constData(), 50); // grows past the block: copied to a new one
        QCOMPARE(arena.take(), big);
        QCOMPARE(first, QByteArray("0123456789"));
        arena.append("ab\n", 3);
        arena.chop(1);
        QCOMPARE(arena.take(), QByteArray("ab"));
        QVERIFY(PayloadArena().take().isNull());
    }

    void pooledParserDispatchesTheSameData()
    {
        QByteArray input = "data: {\"a\":1}\n\n: comment\ndata: line1\ndata: line2\n\n"
                           "data:\n\nevent: x\ndata: \xff\xfe bad\r\n\r\n";
        for (int i = 0; i < 200; ++i)
            input += "data: " + QByteArray(i * 97 % 5000, 'y') + "\n\n";
        input += "data: unterminated";
        for (const qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(4096), input.size()}) {
            const QList<QByteArray> plain = parse(input, false, chunk);
            QCOMPARE(parse(input, true, chunk), plain);
            QCOMPARE(plain.size(), 204);
        }
    }
};

QTEST_GUILESS_MAIN(TestPayloadArena)
#include "tst_payloadarena.moc"
