#include "app/session/sessioninterchange.h"

#include "app/cli/jsonout.h"
#include "app/session/sessionwriter.h"
#include "model/decoder.h"
#include "model/jsonspan.h"
#include "model/timestamp.h"
#include "net/sseparser.h"

#include <QFile>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace rcrt {

namespace {

using cli::appendJsonString;

constexpr qint64 kExportChunk = 10'000;

void appendTime(QByteArray &line, const char *key, qint64 ns)
{
    line += ",\"";
    line += key;
    line += "\":";
    appendJsonString(line, formatRfc3339Ns(ns));
}

// A payload goes in verbatim under `key` when it is one line of valid JSON that starts and
// ends with its own brackets (so the value's span is exactly the payload); otherwise as a
// JSON string under `key`_raw.
void appendPayload(QByteArray &line, const char *key, const QByteArray &payload)
{
    const bool verbatim = !payload.isEmpty()
        && (payload.startsWith('{') && payload.endsWith('}'))
        && !payload.contains('\n') && !payload.contains('\r')
        && QJsonDocument::fromJson(payload).isObject();
    line += ",\"";
    line += key;
    if (verbatim) {
        line += "\":";
        line += payload;
    } else {
        line += "_raw\":";
        appendJsonString(line, payload);
    }
}

bool writeLine(QIODevice &out, const QByteArray &line, QString *error)
{
    if (out.write(line) == line.size())
        return true;
    if (error)
        *error = QStringLiteral("write failed: %1").arg(out.errorString());
    return false;
}

QByteArray headerLine(const SessionHeader &h)
{
    QByteArray line = "{\"type\":\"session\",\"format_version\":" + QByteArray::number(h.formatVersion);
    line += ",\"app_version\":";
    appendJsonString(line, h.appVersion.toUtf8());
    line += ",\"server_url\":";
    appendJsonString(line, h.serverUrl.toUtf8());
    appendTime(line, "start", h.startNs);
    if (h.clockOffsetNs)
        line += ",\"clock_offset_ns\":" + QByteArray::number(*h.clockOffsetNs);
    line += ",\"note\":";
    appendJsonString(line, h.note.toUtf8());
    line += "}\n";
    return line;
}

// --- import helpers ---

struct LineReader
{
    QIODevice &in;
    qint64 number = 0;
    bool next(QByteArray &line)
    {
        while (!in.atEnd()) {
            line = in.readLine();
            ++number;
            while (line.endsWith('\n') || line.endsWith('\r'))
                line.chop(1);
            if (!line.trimmed().isEmpty())
                return true;
        }
        return false;
    }
};

// The exact text of a top-level value (valid JSON assumed).
QByteArray spanOf(const QByteArray &line, const char *key)
{
    const std::string_view text(line.constData(), size_t(line.size()));
    const auto span = json::topLevelValueSpan(text, key);
    return span ? line.mid(qsizetype(span->offset), qsizetype(span->length)) : QByteArray();
}

std::optional<qint64> timeOf(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString())
        return std::nullopt;
    return parseRfc3339Ns(QByteArrayView(v.toString().toUtf8()));
}

// The payload stored under key (verbatim) or key_raw (a string).
std::optional<QByteArray> payloadOf(const QByteArray &line, const QJsonObject &o, const char *key)
{
    if (o.contains(QLatin1String(key)))
        return spanOf(line, key);
    const QString rawKey = QLatin1String(key) + QLatin1String("_raw");
    if (o.value(rawKey).isString())
        return o.value(rawKey).toString().toUtf8();
    return std::nullopt;
}

std::optional<EventSource> sourceFromName(const QString &name)
{
    for (EventSource s : {EventSource::Sse, EventSource::Backfill, EventSource::Local, EventSource::Replay}) {
        if (sourceName(s) == name)
            return s;
    }
    return std::nullopt;
}

bool importJsonLines(QIODevice &in, const QString &outPath, std::unique_ptr<SessionWriter> &writer,
                     ImportSummary &summary, QString &error)
{
    LineReader reader{in};
    QByteArray line;
    auto fail = [&](const QString &what) {
        error = QStringLiteral("line %1: %2").arg(reader.number).arg(what);
        return false;
    };
    while (reader.next(line)) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (!doc.isObject())
            return fail(parseError.error != QJsonParseError::NoError
                            ? QStringLiteral("not JSON (%1)").arg(parseError.errorString())
                            : QStringLiteral("not a JSON object"));
        const QJsonObject o = doc.object();
        const QString type = o.value(QLatin1String("type")).toString();
        if (!writer) {
            if (type != QLatin1String("session"))
                return fail(QStringLiteral("the first line must be the session header "
                                           "({\"type\":\"session\",...})"));
            SessionHeader h;
            h.formatVersion = o.value(QLatin1String("format_version")).toInt();
            if (h.formatVersion > kSessionFormatVersion)
                return fail(QStringLiteral("session format %1 is newer than this program "
                                           "understands (%2); update RCRT Console")
                                .arg(h.formatVersion)
                                .arg(kSessionFormatVersion));
            h.appVersion = o.value(QLatin1String("app_version")).toString();
            h.serverUrl = o.value(QLatin1String("server_url")).toString();
            const auto start = timeOf(o, "start");
            if (!start)
                return fail(QStringLiteral("the header has no valid \"start\" time"));
            h.startNs = *start;
            if (o.contains(QLatin1String("clock_offset_ns")))
                h.clockOffsetNs = spanOf(line, "clock_offset_ns").toLongLong();
            h.note = o.value(QLatin1String("note")).toString();
            writer = SessionWriter::create(outPath, h, &error);
            if (!writer)
                return false;
            continue;
        }
        if (type == QLatin1String("event")) {
            const auto at = timeOf(o, "arrived_at");
            const auto source = sourceFromName(o.value(QLatin1String("source")).toString());
            const auto payload = payloadOf(line, o, "event");
            if (!at || !source || !payload)
                return fail(QStringLiteral("an event line needs \"arrived_at\", \"source\" and "
                                           "\"event\" (or \"event_raw\")"));
            writer->appendEvent({*at, *source, *payload});
            ++summary.events;
        } else if (type == QLatin1String("log")) {
            const auto at = timeOf(o, "at");
            if (!at || !o.value(QLatin1String("text")).isString())
                return fail(QStringLiteral("a log line needs \"at\" and \"text\""));
            writer->appendLog({*at, sessionLogKindFromName(o.value(QLatin1String("kind")).toString()),
                               o.value(QLatin1String("text")).toString()});
            ++summary.logEntries;
        } else if (type == QLatin1String("detail")) {
            const auto at = timeOf(o, "at");
            const auto full = payloadOf(line, o, "full");
            if (!at || !full || !o.value(QLatin1String("breadcrumb_id")).isString())
                return fail(QStringLiteral("a detail line needs \"at\", \"breadcrumb_id\", "
                                           "\"version\" and \"full\""));
            writer->appendDetail({*at, o.value(QLatin1String("breadcrumb_id")).toString().toUtf8(),
                                  o.value(QLatin1String("version")).toInt(), *full});
            ++summary.details;
        } else if (type == QLatin1String("probe")) {
            const auto at = timeOf(o, "at");
            const auto probe = payloadOf(line, o, "probe");
            if (!at || !probe)
                return fail(QStringLiteral("a probe line needs \"at\" and \"probe\""));
            writer->appendProbe(*at, *probe);
            ++summary.probes;
        } else {
            return fail(QStringLiteral("unknown line type \"%1\"").arg(type));
        }
    }
    if (!writer) {
        error = QStringLiteral("no session header found (the input is empty)");
        return false;
    }
    return true;
}

bool importSseCapture(QIODevice &in, const QString &inputName, const QString &outPath,
                      std::unique_ptr<SessionWriter> &writer, ImportSummary &summary, QString &error)
{
    // A capture has no arrival times: each payload arrives at its own updated_at (pings at
    // their ts); a payload without either keeps the previous time.
    Decoder decoder;
    qint64 lastNs = 0;
    qint64 untimed = 0;
    QList<StreamEvent> pending; // payloads before the first timed one, to be stamped with it
    auto add = [&](QByteArray &&data) {
        if (data.isEmpty() || !error.isEmpty())
            return;
        qint64 at = 0;
        if (const auto e = decoder.decode(data))
            at = e->isBreadcrumb() ? e->updatedAtNs : e->pingTsNs;
        if (at == 0) {
            ++untimed;
            at = lastNs;
        }
        if (at == 0) {
            pending.append({0, EventSource::Sse, std::move(data)});
            return;
        }
        if (!writer) {
            SessionHeader h;
            h.startNs = at;
            h.note = QStringLiteral("imported from the SSE capture %1 (arrival = updated_at / ping ts)")
                         .arg(inputName);
            writer = SessionWriter::create(outPath, h, &error);
            if (!writer)
                return;
        }
        for (StreamEvent &p : pending) {
            p.arrivalNs = at;
            writer->appendEvent(p);
        }
        summary.events += pending.size();
        pending.clear();
        lastNs = std::max(lastNs, at);
        writer->appendEvent({std::max(at, lastNs), EventSource::Sse, std::move(data)});
        ++summary.events;
    };
    QStringList parserErrors;
    SseParser parser({[&](SseEvent &&event) { add(std::move(event.data)); }, {},
                      [&](const QString &message) { parserErrors << message; }});
    while (!in.atEnd() && error.isEmpty()) {
        const QByteArray chunk = in.read(1 << 16);
        if (chunk.isEmpty())
            break;
        parser.feed(chunk);
    }
    parser.feed("\n\n"); // a capture cut off mid-event still yields its last complete data
    if (!error.isEmpty())
        return false;
    if (!writer) {
        error = pending.isEmpty() ? QStringLiteral("the SSE capture holds no events")
                                  : QStringLiteral("no payload in the SSE capture carries a time "
                                                   "(updated_at or ts)");
        return false;
    }
    for (const QString &message : parserErrors)
        summary.warnings << QStringLiteral("SSE parser: ") + message;
    if (untimed > 0)
        summary.warnings << QStringLiteral("%1 payloads had no updated_at/ts and took the time of "
                                           "the one before")
                                .arg(untimed);
    return true;
}

} // namespace

bool exportSessionJsonLines(SessionReader &reader, QIODevice &out, QString *error)
{
    if (!writeLine(out, headerLine(reader.header()), error))
        return false;
    for (const SessionLogEntry &entry : reader.log()) {
        QByteArray line = "{\"type\":\"log\"";
        appendTime(line, "at", entry.atNs);
        line += ",\"kind\":";
        appendJsonString(line, sessionLogKindName(entry.kind).toUtf8());
        line += ",\"text\":";
        appendJsonString(line, entry.text.toUtf8());
        if (!writeLine(out, line + "}\n", error))
            return false;
    }
    for (const auto &probe : reader.probes()) {
        QByteArray line = "{\"type\":\"probe\"";
        appendTime(line, "at", probe.first);
        appendPayload(line, "probe", probe.second);
        if (!writeLine(out, line + "}\n", error))
            return false;
    }
    for (const SessionDetail &detail : reader.details()) {
        QByteArray line = "{\"type\":\"detail\"";
        appendTime(line, "at", detail.atNs);
        line += ",\"breadcrumb_id\":";
        appendJsonString(line, detail.breadcrumbId);
        line += ",\"version\":" + QByteArray::number(detail.version);
        appendPayload(line, "full", detail.fullJson);
        if (!writeLine(out, line + "}\n", error))
            return false;
    }
    QByteArray block;
    for (qint64 from = 0; from < reader.eventCount(); from += kExportChunk) {
        block.clear();
        for (const StreamEvent &e : reader.readEvents(from, kExportChunk)) {
            block += "{\"type\":\"event\"";
            appendTime(block, "arrived_at", e.arrivalNs);
            block += ",\"source\":";
            appendJsonString(block, sourceName(e.source).toUtf8());
            appendPayload(block, "event", e.raw);
            block += "}\n";
        }
        if (!writeLine(out, block, error))
            return false;
    }
    return true;
}

ImportFormat detectImportFormat(QByteArrayView head)
{
    QByteArrayView rest = head;
    if (rest.startsWith("\xEF\xBB\xBF"))
        rest = rest.sliced(3);
    while (!rest.isEmpty()) {
        const qsizetype eol = rest.indexOf('\n');
        QByteArrayView line = (eol < 0 ? rest : rest.first(eol)).trimmed();
        rest = eol < 0 ? QByteArrayView() : rest.sliced(eol + 1);
        if (line.isEmpty())
            continue;
        if (line.startsWith('{'))
            return ImportFormat::JsonLines;
        for (const char *field : {"data:", "event:", "id:", "retry:", ":"}) {
            if (line.startsWith(field) || line == QByteArrayView(field).chopped(1))
                return ImportFormat::SseCapture;
        }
        return ImportFormat::Unknown;
    }
    return ImportFormat::Unknown;
}

bool importSession(QIODevice &in, const QString &inputName, const QString &outPath,
                   ImportSummary *summary, QString *error)
{
    ImportSummary local;
    ImportSummary &s = summary ? *summary : local;
    s.format = detectImportFormat(in.peek(64 * 1024));
    QString message;
    std::unique_ptr<SessionWriter> writer;
    bool ok = false;
    switch (s.format) {
    case ImportFormat::JsonLines:
        ok = importJsonLines(in, outPath, writer, s, message);
        break;
    case ImportFormat::SseCapture:
        ok = importSseCapture(in, inputName, outPath, writer, s, message);
        break;
    case ImportFormat::Unknown:
        message = QStringLiteral("%1 is neither JSON Lines (a session export) nor an SSE capture "
                                 "(data: lines)")
                      .arg(inputName);
        break;
    }
    if (writer && !writer->close(ok ? &message : nullptr))
        ok = false;
    const bool created = writer != nullptr;
    writer.reset();
    if (!ok) {
        if (created)
            QFile::remove(outPath); // ours, half-written
        if (error)
            *error = message;
    }
    return ok;
}

} // namespace rcrt
