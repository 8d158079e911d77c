#include "app/cli/parsesse.h"

#include "net/sseparser.h"

#include <QFile>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include <unistd.h>

namespace rcrt::cli {

namespace {

constexpr qsizetype kDefaultChunk = 64 * 1024;
constexpr qsizetype kMaxChunk = 64 * 1024 * 1024;
constexpr int kMaxRandomChunk = 4096;

const char kUsage[] =
    "usage: rcrt-tap parse-sse [FILE|-] [--chunk N|random:SEED]\n"
    "Runs FILE (or stdin) through the SSE parser and prints one JSON object per line:\n"
    "  {\"type\":...,\"data\":...,\"id\":...}  for each dispatched event (id = last event id)\n"
    "  {\"retry\":N}                       for each valid retry field\n"
    "Parser errors go to stderr.\n"
    "  --chunk N          feed the parser N bytes at a time (default 65536)\n"
    "  --chunk random:SEED  random chunk sizes 1..4096 from a seeded generator\n";

void printError(const QString &message)
{
    const QByteArray line = "parse-sse: " + message.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

// JSON string with the escapes RFC 8259 requires. The parser hands out valid UTF-8, so
// non-ASCII bytes are copied as they are.
void appendJsonString(QByteArray &out, QByteArrayView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

struct Arguments
{
    bool help = false;
    QString path; // empty or "-" = stdin
    qsizetype chunk = kDefaultChunk;
    std::optional<quint32> randomSeed;
};

std::optional<Arguments> parseArguments(const QStringList &args, QString *error)
{
    Arguments parsed;
    bool havePath = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        QString chunkSpec;
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            parsed.help = true;
            continue;
        }
        if (arg == QLatin1String("--chunk")) {
            if (i + 1 >= args.size()) {
                *error = QStringLiteral("--chunk needs a value (N or random:SEED)");
                return std::nullopt;
            }
            chunkSpec = args.at(++i);
        } else if (arg.startsWith(QLatin1String("--chunk="))) {
            chunkSpec = arg.mid(8);
        } else if (arg == QLatin1String("-") || !arg.startsWith(QLatin1Char('-'))) {
            if (havePath) {
                *error = QStringLiteral("more than one input given ('%1', '%2')")
                             .arg(parsed.path, arg);
                return std::nullopt;
            }
            parsed.path = arg;
            havePath = true;
            continue;
        } else {
            *error = QStringLiteral("unknown option '%1'").arg(arg);
            return std::nullopt;
        }
        bool ok = false;
        if (chunkSpec.startsWith(QLatin1String("random:"))) {
            const quint32 seed = chunkSpec.mid(7).toUInt(&ok);
            if (ok)
                parsed.randomSeed = seed;
        } else {
            parsed.chunk = chunkSpec.toLongLong(&ok);
            ok = ok && parsed.chunk > 0 && parsed.chunk <= kMaxChunk;
            parsed.randomSeed.reset();
        }
        if (!ok) {
            *error = QStringLiteral("bad --chunk value '%1' (expected 1..%2 or random:SEED)")
                         .arg(chunkSpec)
                         .arg(kMaxChunk);
            return std::nullopt;
        }
    }
    return parsed;
}

// Reads at most `max` bytes. Stdin uses read(2) so that a live pipe (curl -N … | rcrt-tap
// parse-sse) prints events as they arrive instead of waiting for a full chunk.
qsizetype readSome(QFile &file, bool isStdin, char *buffer, qsizetype max)
{
    if (!isStdin)
        return file.read(buffer, max);
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, size_t(max));
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

} // namespace

int runParseSse(const TapOptions &options, const QStringList &args)
{
    Q_UNUSED(options);
    QString error;
    const std::optional<Arguments> arguments = parseArguments(args, &error);
    if (!arguments) {
        const QString usageLine = QString::fromLatin1(kUsage).section(QLatin1Char('\n'), 0, 0);
        printError(error + QLatin1Char('\n') + usageLine);
        return 2;
    }
    if (arguments->help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const bool isStdin = arguments->path.isEmpty() || arguments->path == QLatin1String("-");
    QFile file(arguments->path);
    if (!isStdin && !file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("cannot open '%1': %2").arg(arguments->path, file.errorString()));
        return 2;
    }

    QByteArray out;
    SseParser::Handlers handlers;
    handlers.event = [&out](SseEvent &&event) {
        out += "{\"type\":";
        appendJsonString(out, event.type);
        out += ",\"data\":";
        appendJsonString(out, event.data);
        out += ",\"id\":";
        appendJsonString(out, event.lastEventId);
        out += "}\n";
    };
    handlers.retry = [&out](qint64 ms) { out += "{\"retry\":" + QByteArray::number(ms) + "}\n"; };
    handlers.error = [](const QString &message) { printError(message); };
    SseParser parser(std::move(handlers));

    QRandomGenerator rng(arguments->randomSeed.value_or(0));
    const qsizetype bufferSize = arguments->randomSeed ? kMaxRandomChunk : arguments->chunk;
    QByteArray buffer(bufferSize, Qt::Uninitialized);
    for (;;) {
        const qsizetype want =
            arguments->randomSeed ? rng.bounded(1, kMaxRandomChunk + 1) : arguments->chunk;
        const qsizetype got = readSome(file, isStdin, buffer.data(), want);
        if (got < 0) {
            printError(QStringLiteral("read error on '%1': %2")
                           .arg(isStdin ? QStringLiteral("stdin") : arguments->path,
                                isStdin ? QString::fromLocal8Bit(std::strerror(errno))
                                        : file.errorString()));
            return 2;
        }
        if (got == 0)
            break;
        parser.feed(QByteArrayView(buffer.constData(), got));
        if (!out.isEmpty()) {
            std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
            std::fflush(stdout);
            out.truncate(0);
        }
    }
    return 0;
}

} // namespace rcrt::cli
