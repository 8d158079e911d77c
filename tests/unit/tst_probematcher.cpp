// ProbeMatcher: a probe's stream and local-bus copies paired with it in every order the
// console's threads can produce (copies before or after the acknowledgement, either copy first,
// the second one as a repeat arrival), and only the stream's copy taken as a server time.
#include "model/probematcher.h"

#include <QTest>

using namespace rcrt;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kT0 = 1'700'000'000'000'000'000;
const QByteArray kId = "0000000a-0000-4000-8000-0000000000aa";

EventRecord record(const QByteArray &id, EventSource source, qint64 arrivalNs, qint64 updatedAtNs,
                   const QByteArray &schema = QByteArray(ProbeMatcher::kSchema.data(), ProbeMatcher::kSchema.size()))
{
    EventRecord r;
    r.seq = 1;
    r.envelope.kind = Envelope::Kind::Breadcrumb;
    r.envelope.breadcrumbId = id;
    r.envelope.version = 1;
    r.envelope.hasSchema = true;
    r.envelope.schemaName = schema;
    r.envelope.updatedAtNs = updatedAtNs;
    r.first = Arrival{arrivalNs, source};
    return r;
}

RepeatArrival repeat(const QByteArray &id, EventSource firstSource, qint64 firstNs, EventSource source, qint64 arrivalNs)
{
    return RepeatArrival{1, id, 1, Arrival{firstNs, firstSource}, Arrival{arrivalNs, source}};
}

EventBatch batchOf(const QList<EventRecord> &records, const QList<RepeatArrival> &repeats = {})
{
    EventBatch b;
    b.records = records;
    b.repeats = repeats;
    return b;
}

ProbeOutcome sent(qint64 sentNs)
{
    ProbeOutcome p;
    p.probeId = "probe-1";
    p.sentNs = sentNs;
    return p;
}

} // namespace

class TestProbeMatcher : public QObject
{
    Q_OBJECT
private slots:
    void localFirstThenStreamAfterAck()
    {
        // The usual order through the console's node: ack, local copy, stream copy (a repeat).
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        m.acknowledge(i, kId, kT0 + 4 * kMs);
        // The local copy's updated_at is the console's ack time, never a server sample.
        QCOMPARE(m.addBatch(batchOf({record(kId, EventSource::Local, kT0 + 5 * kMs, kT0 + 4 * kMs)}), true), QList<int>{i});
        QCOMPARE(m.outcomes()[i].localNs, kT0 + 5 * kMs);
        QCOMPARE(m.outcomes()[i].updatedAtNs, 0);
        QCOMPARE(m.addBatch(batchOf({}, {repeat(kId, EventSource::Local, kT0 + 5 * kMs, EventSource::Sse, kT0 + 1500 * kMs)}), true),
                 QList<int>{i});
        QCOMPARE(m.outcomes()[i].streamNs, kT0 + 1500 * kMs);
        QVERIFY(m.outcomes()[i].isSeen());
        QCOMPARE(m.outcomes()[i].updatedAtNs, 0); // the repeat carries no payload
        // The writer's report of the stream copy supplies the server time (3 s ahead here).
        QVERIFY(m.addStreamCopy(i, kT0 + 1500 * kMs, kT0 + 3002 * kMs));
        QCOMPARE(m.outcomes()[i].updatedAtNs, kT0 + 3002 * kMs);
        QVERIFY(!m.addStreamCopy(i, kT0 + 1500 * kMs, kT0 + 3002 * kMs)); // nothing new
        QCOMPARE(m.outcomes()[i].streamNs, kT0 + 1500 * kMs);
    }

    void streamAndLocalBeforeTheAck()
    {
        // The stream's copy beat the answer, and the local copy (published at the ack on the
        // ingest thread) reached this thread before the answer did: both wait for the id.
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        QVERIFY(m.addBatch(batchOf({record(kId, EventSource::Sse, kT0 + 2 * kMs, kT0 + 3001 * kMs)},
                                   {repeat(kId, EventSource::Sse, kT0 + 2 * kMs, EventSource::Local, kT0 + 4 * kMs)}),
                           true)
                    .isEmpty());
        QCOMPARE(m.outcomes()[i].streamNs, 0);
        m.acknowledge(i, kId, kT0 + 3 * kMs);
        const ProbeOutcome &p = m.outcomes()[i];
        QCOMPARE(p.streamNs, kT0 + 2 * kMs);
        QCOMPARE(p.localNs, kT0 + 4 * kMs);
        QCOMPARE(p.updatedAtNs, kT0 + 3001 * kMs);
        QCOMPARE(p.ackNs, kT0 + 3 * kMs);
    }

    void localRepeatInALaterBatchBeforeTheAck()
    {
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        m.addBatch(batchOf({record(kId, EventSource::Sse, kT0 + 2 * kMs, kT0 + 2 * kMs)}), true);
        m.addBatch(batchOf({}, {repeat(kId, EventSource::Sse, kT0 + 2 * kMs, EventSource::Local, kT0 + 4 * kMs)}), true);
        m.acknowledge(i, kId, kT0 + 3 * kMs);
        QCOMPARE(m.outcomes()[i].localNs, kT0 + 4 * kMs);
        QCOMPARE(m.outcomes()[i].streamNs, kT0 + 2 * kMs);
    }

    void localRecordBeforeTheAckKeepsNoServerTime()
    {
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        m.addBatch(batchOf({record(kId, EventSource::Local, kT0 + 5 * kMs, kT0 + 4 * kMs)}), true);
        m.acknowledge(i, kId, kT0 + 4 * kMs);
        QCOMPARE(m.outcomes()[i].localNs, kT0 + 5 * kMs);
        QCOMPARE(m.outcomes()[i].updatedAtNs, 0);
        QVERIFY(!m.outcomes()[i].isSeen());
    }

    void ignoresOtherCopies()
    {
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        const QByteArray other = "0000000b-0000-4000-8000-0000000000bb";
        // Backfill is no delivery; another schema is no probe; a repeat of an id never seen as
        // a probe record is not kept; nothing is kept outside a run.
        m.addBatch(batchOf({record(kId, EventSource::Backfill, kT0 + 1 * kMs, kT0 + 1 * kMs),
                            record(other, EventSource::Sse, kT0 + 1 * kMs, kT0 + 1 * kMs, "tool.request.v1")},
                           {repeat(other, EventSource::Sse, kT0 + 1 * kMs, EventSource::Local, kT0 + 2 * kMs)}),
                   true);
        const QByteArray late = "0000000c-0000-4000-8000-0000000000cc";
        m.addBatch(batchOf({record(late, EventSource::Sse, kT0 + 3 * kMs, kT0 + 3 * kMs)}), false);
        m.acknowledge(i, kId, kT0 + 5 * kMs);
        const int j = m.addSent(sent(kT0));
        m.acknowledge(j, other, kT0 + 5 * kMs);
        const int k = m.addSent(sent(kT0));
        m.acknowledge(k, late, kT0 + 5 * kMs);
        for (const ProbeOutcome &p : m.outcomes()) {
            QCOMPARE(p.streamNs, 0);
            QCOMPARE(p.localNs, 0);
        }
    }

    void failedWrite()
    {
        ProbeMatcher m;
        const int i = m.addSent(sent(kT0));
        m.fail(i, QStringLiteral("HTTP 500"));
        QCOMPARE(m.outcomes()[i].error, QStringLiteral("HTTP 500"));
        QVERIFY(!m.outcomes()[i].isAcked());
        QVERIFY(!m.addStreamCopy(7, kT0, kT0)); // no such probe
    }

    void summaryHasLocalFigures()
    {
        QList<ProbeOutcome> probes;
        for (int n = 0; n < 3; ++n) {
            ProbeOutcome p = sent(kT0);
            p.ackNs = kT0 + 4 * kMs;
            p.localNs = kT0 + (5 + n) * kMs;
            p.streamNs = kT0 + 1500 * kMs;
            probes.append(p);
        }
        ProbeOutcome rest = sent(kT0); // written over REST: no local copy
        rest.ackNs = kT0 + 4 * kMs;
        rest.streamNs = kT0 + 10 * kMs;
        probes.append(rest);
        const ProbeSummary s = summarizeProbes(probes, kT0 + 2000 * kMs, 10'000 * kMs);
        QCOMPARE(s.local, 3);
        QCOMPARE(s.localMs.count, 3);
        QCOMPARE(s.localMs.p50, 6.0);
        QCOMPARE(s.localMs.max, 7.0);
        QCOMPARE(s.seen, 4);
        QCOMPARE(s.streamMs.max, 1500.0);
    }
};

QTEST_GUILESS_MAIN(TestProbeMatcher)
#include "tst_probematcher.moc"
