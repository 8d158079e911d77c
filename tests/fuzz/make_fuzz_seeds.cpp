// Writes the seed corpora in tests/fuzz/corpus/ (docs/fuzzing.md says when to run it):
//   make_fuzz_seeds <tests/fuzz/corpus> <tests/data/sse>
// sse: the SSE fixtures behind a few limit/chunking prefixes plus generated edge streams;
// decoder: every payload of the fixtures, handcrafted shapes and a multi-line history;
// session: small sessions written by SessionWriter, then truncated and damaged copies;
// toolinput: each built-in's examples as "name\nJSON", and schema/value pairs.

#include "app/runner/toolregistry.h"
#include "app/session/sessionwriter.h"
#include "net/sseparser.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace rcrt;

namespace {

QDir g_out;

void writeSeed(const QString &target, const QByteArray &bytes)
{
    g_out.mkpath(target);
    const QString name = QString::fromLatin1(
        QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex().left(16));
    QFile file(g_out.filePath(target + u'/' + name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QByteArray> payloadsOf(const QByteArray &stream)
{
    QList<QByteArray> payloads;
    SseParser parser({[&](SseEvent &&e) { payloads << e.data; }, {}, {}});
    parser.feed(stream);
    parser.feed("\n\n");
    return payloads;
}

void sseSeeds(const QDir &sseData)
{
    // Prefix bytes: maxLineBytes - 8, (maxEventBytes - 8) / 2, chunk seed.
    const QList<QByteArray> prefixes{QByteArray("\xff\xff\x01", 3), QByteArray("\x40\x20\x07", 3),
                                     QByteArray("\x08\x08\x55", 3)};
    for (const QString &name : sseData.entryList({QStringLiteral("*.sse")}, QDir::Files)) {
        const QByteArray stream = readFile(sseData.filePath(name));
        for (const QByteArray &prefix : prefixes)
            writeSeed(QStringLiteral("sse"), prefix + stream.left(4000));
    }
    const QByteArray p("\x30\x30\x03", 3);
    writeSeed(QStringLiteral("sse"), p + "data: a\r\ndata: b\r\rdata: c\r\n\r\n");
    writeSeed(QStringLiteral("sse"), p + "\xEF\xBB\xBF" "event: x\nid: 7\nretry: 1500\ndata: y\n\n");
    writeSeed(QStringLiteral("sse"), p + "data: " + QByteArray(400, 'z') + "\n\ndata: after\n\n");
    writeSeed(QStringLiteral("sse"), p + QByteArrayLiteral("id: a\0b\ndata: \xC3\x28 \xF0\x9F\x98\n\n: c\n"));
    writeSeed(QStringLiteral("sse"), p + "event: " + QByteArray(300, '\xff') + "\ndata: q\n\n");
}

void decoderSeeds(const QDir &sseData)
{
    QByteArray history;
    for (const QString &name : sseData.entryList({QStringLiteral("*.sse")}, QDir::Files)) {
        for (const QByteArray &payload : payloadsOf(readFile(sseData.filePath(name)))) {
            writeSeed(QStringLiteral("decoder"), payload);
            history += payload + '\n';
        }
    }
    writeSeed(QStringLiteral("decoder"), history);
    const QByteArray id = "\"3f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\"";
    const QByteArrayList shapes{
        R"({"type":"ping","ts":"2025-11-07T10:29:58Z"})",
        R"({"type":"ping"})",
        R"({"type":"system","message":"proxy"})",
        R"({"id":)" + id + R"(,"title":"t","tags":[],"schema_name":null,"version":2,"updated_at":"2025-11-07T10:30:00.123456Z"})",
        R"({"type":"breadcrumb.updated","breadcrumb_id":)" + id + R"(,"owner_id":"o","version":3,"tags":["a","a"],"schema_name":"s.v1","updated_at":"2025-11-07T10:30:00.1Z","context":{"k":[1,{"x":null}]}})",
        R"({"breadcrumb_id":)" + id + R"(,"version":2147483647,"updated_at":"2025-11-07T10:30:00Z","context":"s","type":"breadcrumb.updated"})",
        R"({"type":"breadcrumb.updated","breadcrumb_id":"x","version":0,"updated_at":"bad"})",
        R"([1,2,3])",
    };
    QByteArray mixed;
    for (const QByteArray &shape : shapes) {
        writeSeed(QStringLiteral("decoder"), shape);
        mixed += shape + '\n';
    }
    writeSeed(QStringLiteral("decoder"), mixed + mixed);
}

QByteArray payload(int i, int version)
{
    return QByteArrayLiteral("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"id-")
        + QByteArray::number(i % 7) + "\",\"version\":" + QByteArray::number(version)
        + ",\"tags\":[\"t" + QByteArray::number(i % 3)
        + "\"],\"updated_at\":\"2025-11-07T10:30:00Z\",\"context\":{\"n\":" + QByteArray::number(i)
        + "}}";
}

QByteArray session(const QTemporaryDir &dir, int events, bool extras)
{
    const QString path = dir.filePath(QStringLiteral("s%1-%2.rcrtsession").arg(events).arg(extras));
    SessionHeader header;
    header.appVersion = QStringLiteral("seed");
    header.serverUrl = QStringLiteral("http://127.0.0.1:8081");
    header.startNs = 1'700'000'000'000'000'000;
    header.note = QStringLiteral("fuzz seed");
    QString error;
    auto writer = SessionWriter::create(path, header, &error);
    if (!writer) {
        std::fprintf(stderr, "SessionWriter: %s\n", qPrintable(error));
        return {};
    }
    for (int i = 0; i < events; ++i) {
        const auto source = i % 5 == 0 ? EventSource::Backfill : EventSource::Sse;
        writer->appendEvent({header.startNs + i * 1000, source, payload(i, 1 + i / 7)});
    }
    if (extras) {
        writer->setClockOffsetNs(-1234567);
        writer->appendLog({header.startNs, SessionLogKind::Connect, QStringLiteral("connected")});
        writer->appendLog({header.startNs + 5, SessionLogKind::Error, QStringLiteral("HTTP 503")});
        writer->appendDetail({header.startNs + 9, "id-1", 1, R"({"id":"id-1","context":{}})"});
        writer->appendProbe(header.startNs + 11, R"({"probe":1,"sent_ns":5})");
    }
    writer->close(&error);
    return readFile(path);
}

void sessionSeeds()
{
    QTemporaryDir dir;
    for (const auto &[events, extras] : {std::pair{0, false}, {5, true}, {300, true}}) {
        const QByteArray file = session(dir, events, extras);
        writeSeed(QStringLiteral("session"), file);
        if (events == 0)
            continue;
        writeSeed(QStringLiteral("session"), file.left(file.size() / 2));
        writeSeed(QStringLiteral("session"), file.left(4096 + 100));
        QByteArray flipped = file;
        for (qsizetype at = 100; at < flipped.size(); at += 1777)
            flipped[at] = char(flipped[at] ^ 0x5a);
        writeSeed(QStringLiteral("session"), flipped);
        QByteArray zeroed = file;
        if (zeroed.size() > 3 * 4096)
            zeroed.replace(2 * 4096, 4096, QByteArray(4096, '\0'));
        writeSeed(QStringLiteral("session"), zeroed);
    }
    writeSeed(QStringLiteral("session"), "SQLite format 3");
    writeSeed(QStringLiteral("session"), "not a session at all");
}

void toolSeeds()
{
    const ToolRegistry registry = ToolRegistry::builtins();
    for (const QString &name : registry.names()) {
        for (const QJsonValue &example : registry.find(name)->examples()) {
            const QJsonValue input = example.toObject().value(u"input");
            writeSeed(QStringLiteral("toolinput"),
                      name.toUtf8() + '\n' + QJsonDocument(QJsonArray{input}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
        }
    }
    const QByteArrayList extra{
        "calculator\n{\"expression\":\"-2^-1 * (3 % 2) + sqrt(abs(-16)) / max(1, 2, 3e2)\"}",
        "random\n{\"count\":1001}",
        "echo\n[1,2,3]",
        "nope\n{}",
        "workflow\n{\"steps\":[{\"id\":\"a\",\"tool\":\"random\",\"input\":{}},{\"id\":\"b\",\"tool\":\"calculator\",\"input\":{\"expression\":\"${a.numbers[0]} + 1\"},\"timeoutSeconds\":0.5}],\"returnStep\":\"b\"}",
        "schema\n{\"schema\":{\"type\":[\"object\",\"null\"],\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"integer\",\"minimum\":1,\"default\":3},\"b\":{\"pattern\":\"^x+$\",\"maxLength\":4}},\"additionalProperties\":false,\"oneOf\":[{\"required\":[\"a\"]},{\"not\":{\"const\":1}}]},\"value\":{\"a\":0.5,\"c\":true}}",
        "schema\n{\"schema\":{\"items\":[{\"enum\":[1,\"x\"]},{\"anyOf\":[{\"type\":\"string\",\"minLength\":2},{\"allOf\":[{\"maximum\":3,\"exclusiveMinimum\":true,\"minimum\":0}]}]}],\"minItems\":1,\"maxItems\":3},\"value\":[1,2,3,4]}",
    };
    for (const QByteArray &seed : extra)
        writeSeed(QStringLiteral("toolinput"), seed);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_fuzz_seeds <tests/fuzz/corpus> <tests/data/sse>\n");
        return 2;
    }
    g_out = QDir(QString::fromLocal8Bit(argv[1]));
    const QDir sseData(QString::fromLocal8Bit(argv[2]));
    sseSeeds(sseData);
    decoderSeeds(sseData);
    sessionSeeds();
    toolSeeds();
    return 0;
}
