// gen_capture: writes an RCRT-shaped raw SSE capture (what `curl -N .../events/stream` saves),
// the input of `rcrt-tap ingest` and of the Node baseline in tests/bench/run.sh.
//
//   gen_capture --events N [--seed S] [--rate R] [--out FILE]
//
// The mix follows rcrt-protocol.md §6: tool requests and their responses (`request:<id>` tags,
// one unique tag text per response), agent.context.v1 PATCHes (one in 200 an assembled
// context of about 50 KB), user messages, agent responses and agent.catalog.v1 PATCHes; a ping
// every 5 s of simulated time (R breadcrumb events per simulated second, default 2000). Create
// payloads put `type` last, update payloads first (§3.4); `updated_at` carries 6 fractional
// digits, sometimes 3, 0 or 9 (chrono AutoSi). About 500 bytes per event on average.
// The same N and S always give the same bytes. A summary goes to stderr as JSON:
// {"events":E,"breadcrumbs":N,"pings":P,"bytes":B,"payload_bytes":D}.

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace {

// splitmix64-seeded xorshift64*: tiny, fast and reproducible across platforms.
class Rng
{
public:
    explicit Rng(std::uint64_t seed)
    {
        std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        m_state = (z ^ (z >> 31)) | 1;
    }
    std::uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545f4914f6cdd1dULL;
    }
    // Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi)
    {
        return lo + std::int64_t(next() % std::uint64_t(hi - lo + 1));
    }

private:
    std::uint64_t m_state;
};

constexpr std::string_view kOwner = "00000000-0000-0000-0000-000000000001";
constexpr std::array<std::string_view, 6> kTools{"random", "calculator", "echo", "openrouter", "timer", "workflow"};
constexpr int kSessions = 64;
constexpr std::int64_t kUsPerSecond = 1'000'000;
constexpr std::int64_t kPingIntervalUs = 5 * kUsPerSecond;
// 2025-11-07T10:29:58Z, the start of the §6 example.
constexpr std::int64_t kStartUs = 1'762'511'398LL * kUsPerSecond;

// Words for free text: plain ASCII, a quote and a newline that need escapes, and multi-byte
// UTF-8, so the decoders see what real LLM text contains.
constexpr std::array<std::string_view, 16> kWords{
    "the", "tool", "returned", "context", "for", "session", "and", "numbers",
    "\"quoted\"", "line\nbreak", "\u2705", "r\u00e9sum\u00e9", "assistant", "workflow", "latency", "of"};

void appendEscaped(std::string &out, std::string_view text)
{
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default: out += c;
        }
    }
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian), for RFC 3339 text.
void civilFromDays(std::int64_t days, int &year, int &month, int &day)
{
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t mp = (5 * dayOfYear + 2) / 153;
    day = int(dayOfYear - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yearOfEra + era * 400 + (month <= 2));
}

class Generator
{
public:
    Generator(std::uint64_t seed, double rate) : m_rng(seed), m_stepUs(double(kUsPerSecond) / rate) {}

    // Appends the next frame(s) (maybe a ping first) to `out`; returns the breadcrumbs added.
    void next(std::string &out)
    {
        m_nowUs = kStartUs + std::int64_t(double(m_breadcrumbs) * m_stepUs) + m_rng.between(0, 40);
        while (m_nextPingUs <= m_nowUs) {
            m_payload = "{\"type\":\"ping\",\"ts\":\"";
            appendTime(m_payload, m_nextPingUs, 0);
            m_payload += "\"}";
            frame(out);
            ++m_pings;
            m_nextPingUs += kPingIntervalUs;
        }
        const std::int64_t dice = m_rng.between(0, 99);
        if (dice < 30)
            toolRequest();
        else if (dice < 60)
            m_pending.empty() ? toolRequest() : toolResponse();
        else if (dice < 80)
            agentContext();
        else if (dice < 89)
            userMessage();
        else if (dice < 98)
            agentResponse();
        else
            agentCatalog();
        frame(out);
        ++m_breadcrumbs;
    }

    std::int64_t breadcrumbs() const { return m_breadcrumbs; }
    std::int64_t pings() const { return m_pings; }
    std::int64_t payloadBytes() const { return m_payloadBytes; }

private:
    void frame(std::string &out)
    {
        out += "data: ";
        out += m_payload;
        out += "\n\n";
        m_payloadBytes += std::int64_t(m_payload.size());
    }

    std::string uuid()
    {
        static constexpr char hex[] = "0123456789abcdef";
        const std::uint64_t hi = m_rng.next();
        const std::uint64_t lo = m_rng.next();
        std::string s(36, '-');
        int bit = 0;
        for (int i = 0; i < 36; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                continue;
            const std::uint64_t word = bit < 16 ? hi : lo;
            s[size_t(i)] = hex[(word >> ((bit % 16) * 4)) & 0xF];
            ++bit;
        }
        s[14] = '4';                                  // version 4
        s[19] = hex[8 + (lo & 0x3)];                  // variant 10xx
        return s;
    }

    // RFC 3339 UTC; fractionDigits 0, 3, 6 or 9 as chrono's AutoSi prints them.
    static void appendTime(std::string &out, std::int64_t us, int fractionDigits)
    {
        const std::int64_t seconds = us / kUsPerSecond;
        const std::int64_t micros = us % kUsPerSecond;
        int year = 0, month = 0, day = 0;
        civilFromDays(seconds / 86400, year, month, day);
        const std::int64_t sod = seconds % 86400;
        char buf[48];
        int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                              int(sod / 3600), int(sod / 60 % 60), int(sod % 60));
        if (fractionDigits == 3)
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%03d", int(micros / 1000));
        else if (fractionDigits == 6)
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%06d", int(micros));
        else if (fractionDigits == 9)
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%06d%03d", int(micros), int(us % 997));
        out.append(buf, size_t(n));
        out += 'Z';
    }

    void appendUpdatedAt(std::string &out)
    {
        const std::int64_t pick = m_rng.between(0, 999);
        appendTime(out, m_nowUs, pick == 0 ? 0 : pick < 5 ? 3 : pick < 10 ? 9 : 6);
    }

    void text(std::string &out, int minBytes, int maxBytes)
    {
        const size_t target = size_t(m_rng.between(minBytes, maxBytes));
        const size_t start = out.size();
        while (out.size() - start < target) {
            if (out.size() != start)
                out += ' ';
            appendEscaped(out, kWords[size_t(m_rng.between(0, kWords.size() - 1))]);
        }
    }

    // Envelope keys around `context`, in the create (type last) or update (type first) order.
    void open(bool created, std::string_view id, int version, std::initializer_list<std::string_view> tags,
              std::string_view schema)
    {
        m_payload.clear();
        m_payload += created ? "{" : "{\"type\":\"breadcrumb.updated\",";
        m_payload += "\"breadcrumb_id\":\"";
        m_payload += id;
        m_payload += "\",\"owner_id\":\"";
        m_payload += kOwner;
        m_payload += "\",\"version\":";
        m_payload += std::to_string(version);
        m_payload += ",\"tags\":[";
        bool first = true;
        for (std::string_view tag : tags) {
            if (!first)
                m_payload += ',';
            first = false;
            m_payload += '"';
            appendEscaped(m_payload, tag);
            m_payload += '"';
        }
        m_payload += "],\"schema_name\":\"";
        m_payload += schema;
        m_payload += "\",\"updated_at\":\"";
        appendUpdatedAt(m_payload);
        m_payload += "\",\"context\":";
    }
    void close(bool created) { m_payload += created ? ",\"type\":\"breadcrumb.updated\"}" : "}"; }

    void millisField(std::string_view key)
    {
        m_payload += ",\"";
        m_payload += key;
        m_payload += "\":\"";
        appendTime(m_payload, m_nowUs - 6000, 3);
        m_payload += '"';
    }

    // Context keys below are in JSONB order (shorter first, then bytewise), as the server
    // reads them back from Postgres.
    void toolRequest()
    {
        const size_t tool = size_t(m_rng.between(0, kTools.size() - 1));
        const bool step = m_rng.between(0, 3) == 0;
        std::string requestId = std::string(tool == 3 ? "llm-" : step ? "workflow-" : "req-")
            + std::to_string(m_nowUs / 1000) + '-' + std::to_string(++m_sequence);
        const std::string id = uuid();
        if (step)
            open(true, id, 1, {"tool:request", "workflow:step", "workspace:tools"}, "tool.request.v1");
        else
            open(true, id, 1, {"tool:request", "workspace:tools", "agent:default-chat-assistant"}, "tool.request.v1");
        m_payload += "{\"tool\":\"";
        m_payload += kTools[tool];
        m_payload += "\",\"input\":";
        if (tool == 3) {
            m_payload += "{\"messages\":[{\"role\":\"system\",\"content\":\"";
            text(m_payload, 10, 60);
            m_payload += "\"},{\"role\":\"user\",\"content\":\"";
            text(m_payload, 10, 60);
            m_payload += "\"}]}";
        } else {
            m_payload += "{\"max\":" + std::to_string(m_rng.between(10, 100)) + ",\"min\":1,\"message\":\"";
            text(m_payload, 0, 20);
            m_payload += "\"}";
        }
        m_payload += ",\"requestId\":\"" + requestId + "\",\"requestedBy\":\"default-chat-assistant\"}";
        close(true);
        m_pending.push_back({std::move(requestId), int(tool)});
        if (m_pending.size() > 5000)
            m_pending.pop_front();
    }

    void toolResponse()
    {
        // Not always the oldest: runners answer out of order.
        const size_t pick = std::min(m_pending.size() - 1, size_t(m_rng.between(0, 3)));
        const Pending request = m_pending[pick];
        m_pending.erase(m_pending.begin() + std::ptrdiff_t(pick));
        const std::string tag = "request:" + request.requestId;
        const bool llm = request.requestId.rfind("llm-", 0) == 0;
        const std::int64_t duration = m_rng.between(80, 3200);
        const std::string id = uuid();
        open(true, id, 1, {"workspace:tools", "tool:response", llm ? std::string_view("request:llm") : tag, tag},
             "tool.response.v1");
        m_payload += "{\"tool\":\"";
        m_payload += kTools[size_t(request.tool)];
        m_payload += "\",\"output\":";
        if (llm) {
            m_payload += "{\"model\":\"google/gemini-2.5-flash\",\"usage\":{\"total_tokens\":1530,"
                         "\"prompt_tokens\":1402,\"completion_tokens\":128},\"content\":\"";
            text(m_payload, 20, 100);
            m_payload += "\",\"cost_estimate\":0.00077}";
        } else {
            m_payload += "{\"numbers\":[" + std::to_string(m_rng.between(1, 100)) + "]}";
        }
        m_payload += ",\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":"
            + std::to_string(duration) + '}';
        millisField("timestamp");
        m_payload += ",\"request_id\":\"" + request.requestId + "\",\"execution_time_ms\":"
            + std::to_string(duration + 12) + '}';
        close(true);
    }

    void agentContext()
    {
        const size_t session = size_t(m_rng.between(0, kSessions - 1));
        if (m_contexts.size() < size_t(kSessions))
            m_contexts.resize(size_t(kSessions));
        Context &c = m_contexts[session];
        const bool created = c.id.empty();
        if (created)
            c.id = uuid();
        ++c.version;
        const std::string sessionTag = "session:session-" + std::to_string(1762509000000 + session);
        open(created, c.id, c.version, {"agent:context", "consumer:default-chat-assistant", sessionTag},
             "agent.context.v1");
        // One in 200 is an assembled context of about 50 KB (LLM prompt material).
        const int entries = m_rng.between(0, 199) == 0 ? 64 : 1;
        m_payload += "{\"breadcrumbs\":[";
        for (int i = 0; i < entries; ++i) {
            if (i > 0)
                m_payload += ',';
            m_payload += "{\"id\":\"" + (m_lastUserMessage.empty() ? uuid() : m_lastUserMessage)
                + "\",\"content\":{\"source\":\"rcrt-extension-v2\",\"content\":\"";
            text(m_payload, entries > 1 ? 560 : 0, entries > 1 ? 760 : 30);
            m_payload += "\"}";
            m_payload += ",\"created_at\":\"";
            appendTime(m_payload, m_nowUs - 300000, 6);
            m_payload += "\",\"schema_name\":\"user.message.v1\"}";
        }
        m_payload += "],\"consumer_id\":\"default-chat-assistant\",\"assembled_at\":\"";
        appendTime(m_payload, m_nowUs - 36000, 9);
        m_payload += "\",\"token_estimate\":" + std::to_string(m_rng.between(100, 900 * entries))
            + ",\"trigger_event_id\":\"" + (m_lastUserMessage.empty() ? std::string("none") : m_lastUserMessage)
            + "\",\"sources_assembled\":3}";
        close(created);
    }

    void userMessage()
    {
        const std::string session = "session-" + std::to_string(1762509000000 + m_rng.between(0, kSessions - 1));
        m_lastUserMessage = uuid();
        open(true, m_lastUserMessage, 1, {"user:message", "extension:chat", "session:" + session}, "user.message.v1");
        m_payload += "{\"source\":\"rcrt-extension-v2\",\"content\":\"";
        text(m_payload, 0, 40);
        m_payload += '"';
        millisField("timestamp");
        m_payload += ",\"session_id\":\"" + session + "\"}";
        close(true);
    }

    void agentResponse()
    {
        const std::string id = uuid();
        open(true, id, 1, {"agent:response", "chat:output"}, "agent.response.v1");
        m_payload += "{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},\"message\":\"\u2705 ";
        text(m_payload, 0, 60);
        m_payload += '"';
        millisField("timestamp");
        m_payload += ",\"trigger_event_id\":\"" + (m_lastUserMessage.empty() ? std::string("none") : m_lastUserMessage) + "\"}";
        close(true);
    }

    void agentCatalog()
    {
        if (m_catalogId.empty())
            m_catalogId = uuid();
        ++m_catalogVersion;
        open(m_catalogVersion == 1, m_catalogId, m_catalogVersion, {"workspace:agents", "agent:catalog"},
             "agent.catalog.v1");
        m_payload += "{\"agents\":[{\"name\":\"Default Chat Assistant\",\"status\":\"active\",\"metrics\":{\"errors\":0";
        millisField("last_activity");
        m_payload += ",\"events_processed\":" + std::to_string(m_breadcrumbs)
            + "},\"agent_id\":\"default-chat-assistant\",\"description\":\"Default Chat Assistant\"";
        millisField("lastActivity");
        m_payload += "}],\"workspace\":\"workspace:agents\"";
        millisField("lastUpdated");
        m_payload += ",\"totalAgents\":1,\"activeAgents\":1}";
        close(m_catalogVersion == 1);
    }

    struct Pending
    {
        std::string requestId;
        int tool = 0;
    };
    struct Context
    {
        std::string id;
        int version = 0;
    };

    Rng m_rng;
    double m_stepUs;
    std::int64_t m_nowUs = kStartUs;
    std::int64_t m_nextPingUs = kStartUs;
    std::int64_t m_breadcrumbs = 0;
    std::int64_t m_pings = 0;
    std::int64_t m_payloadBytes = 0;
    std::uint64_t m_sequence = 0;
    std::string m_payload;
    std::deque<Pending> m_pending;
    std::vector<Context> m_contexts;
    std::string m_lastUserMessage;
    std::string m_catalogId;
    int m_catalogVersion = 0;
};

int usage(const char *message)
{
    if (message)
        std::fprintf(stderr, "gen_capture: %s\n", message);
    std::fputs("usage: gen_capture --events N [--seed S] [--rate R] [--out FILE]\n"
               "Writes an RCRT-shaped raw SSE capture of N breadcrumb events (plus a ping every 5 s\n"
               "of simulated time at R events/s, default 2000) to FILE or stdout; same N and S, same bytes.\n",
               stderr);
    return 2;
}

bool parseNumber(const char *text, long double &out)
{
    char *end = nullptr;
    errno = 0;
    out = std::strtold(text, &end);
    return errno == 0 && end != text && *end == '\0';
}

} // namespace

int main(int argc, char **argv)
{
    long double events = -1;
    long double seed = 1;
    long double rate = 2000;
    const char *outPath = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            usage(nullptr);
            return 0;
        }
        if (i + 1 >= argc)
            return usage("every option takes a value");
        const char *value = argv[++i];
        bool ok = true;
        if (arg == "--events")
            ok = parseNumber(value, events) && events >= 0 && events <= 1e10L;
        else if (arg == "--seed")
            ok = parseNumber(value, seed) && seed >= 0;
        else if (arg == "--rate")
            ok = parseNumber(value, rate) && rate > 0;
        else if (arg == "--out")
            outPath = value;
        else
            return usage("unknown option");
        if (!ok)
            return usage("bad number");
    }
    if (events < 0)
        return usage("--events N is required");

    std::FILE *out = outPath ? std::fopen(outPath, "wb") : stdout;
    if (!out) {
        std::fprintf(stderr, "gen_capture: cannot write '%s': %s\n", outPath, std::strerror(errno));
        return 1;
    }
    Generator gen{static_cast<std::uint64_t>(seed), static_cast<double>(rate)};
    std::string buffer;
    buffer.reserve(1 << 20);
    std::int64_t bytes = 0;
    const auto target = std::int64_t(events);
    while (gen.breadcrumbs() < target) {
        gen.next(buffer);
        if (buffer.size() >= (1u << 20) || gen.breadcrumbs() == target) {
            if (std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) {
                std::fprintf(stderr, "gen_capture: write failed: %s\n", std::strerror(errno));
                return 1;
            }
            bytes += std::int64_t(buffer.size());
            buffer.clear();
        }
    }
    if (std::fflush(out) != 0 || (outPath && std::fclose(out) != 0)) {
        std::fprintf(stderr, "gen_capture: write failed: %s\n", std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr, "{\"events\":%lld,\"breadcrumbs\":%lld,\"pings\":%lld,\"bytes\":%lld,\"payload_bytes\":%lld}\n",
                 static_cast<long long>(gen.breadcrumbs() + gen.pings()), static_cast<long long>(gen.breadcrumbs()),
                 static_cast<long long>(gen.pings()), static_cast<long long>(bytes),
                 static_cast<long long>(gen.payloadBytes()));
    return 0;
}
