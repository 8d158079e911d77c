#include "ui/inspector/linediff.h"

#include <algorithm>
#include <vector>

namespace rcrt::ui {

namespace {

using Kind = DiffLine::Kind;

struct Sequences
{
    const QStringList &a;
    const QStringList &b;
    qsizetype aBegin, bBegin; // the trimmed middle: a[aBegin, aBegin+n), b[bBegin, bBegin+m)
    int n, m;

    bool equal(int x, int y) const { return a[aBegin + x] == b[bBegin + y]; }
};

// Myers' greedy forward pass. trace[d] holds, for diagonals k = -d..d (index k + d), the
// furthest x reached with d edits. Returns false when more than maxEdits are needed.
bool forwardPass(const Sequences &s, int maxEdits, std::vector<std::vector<int>> &trace)
{
    const int limit = std::min(s.n + s.m, maxEdits);
    for (int d = 0; d <= limit; ++d) {
        std::vector<int> cur(size_t(2 * d + 1), 0);
        const std::vector<int> *prev = d > 0 ? &trace.back() : nullptr;
        const auto prevAt = [&](int k) { return (*prev)[size_t(k + d - 1)]; };
        for (int k = -d; k <= d; k += 2) {
            int x;
            if (d == 0)
                x = 0;
            else if (k == -d || (k != d && prevAt(k - 1) < prevAt(k + 1)))
                x = prevAt(k + 1); // down: an addition
            else
                x = prevAt(k - 1) + 1; // right: a removal
            int y = x - k;
            while (x < s.n && y < s.m && s.equal(x, y)) {
                ++x;
                ++y;
            }
            cur[size_t(k + d)] = x;
            if (x >= s.n && y >= s.m) {
                trace.push_back(std::move(cur));
                return true;
            }
        }
        trace.push_back(std::move(cur));
    }
    return false;
}

// Walks the trace back from (n, m), appending the middle's lines in reverse order.
void backtrack(const Sequences &s, const std::vector<std::vector<int>> &trace, QList<DiffLine> &reversed)
{
    int x = s.n, y = s.m;
    const auto same = [&](int toX) {
        while (x > toX) {
            --x;
            --y;
            reversed.append({Kind::Same, s.a[s.aBegin + x], int(s.aBegin + x), int(s.bBegin + y)});
        }
    };
    for (int d = int(trace.size()) - 1; d > 0; --d) {
        const std::vector<int> &prev = trace[size_t(d - 1)];
        const auto prevAt = [&](int k) { return prev[size_t(k + d - 1)]; };
        const int k = x - y;
        const bool down = k == -d || (k != d && prevAt(k - 1) < prevAt(k + 1));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = prevAt(prevK);
        const int prevY = prevX - prevK;
        same(down ? prevX : prevX + 1);
        if (down)
            reversed.append({Kind::Added, s.b[s.bBegin + prevY], -1, int(s.bBegin + prevY)});
        else
            reversed.append({Kind::Removed, s.a[s.aBegin + prevX], int(s.aBegin + prevX), -1});
        x = prevX;
        y = prevY;
    }
    same(0);
}

// Myers emits a change as alternating removals/additions in path order; readers expect each
// run of changes as its removals first, then its additions.
void groupChanges(QList<DiffLine> &diff)
{
    for (qsizetype i = 0; i < diff.size();) {
        if (diff[i].kind == Kind::Same) {
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < diff.size() && diff[j].kind != Kind::Same)
            ++j;
        std::stable_partition(diff.begin() + i, diff.begin() + j,
                              [](const DiffLine &line) { return line.kind == Kind::Removed; });
        i = j;
    }
}

} // namespace

QList<DiffLine> diffLines(const QStringList &before, const QStringList &after, int maxEdits)
{
    QList<DiffLine> diff;
    qsizetype head = 0;
    while (head < before.size() && head < after.size() && before[head] == after[head])
        ++head;
    qsizetype tail = 0;
    while (tail < before.size() - head && tail < after.size() - head
           && before[before.size() - 1 - tail] == after[after.size() - 1 - tail])
        ++tail;

    for (qsizetype i = 0; i < head; ++i)
        diff.append({Kind::Same, before[i], int(i), int(i)});

    const Sequences s{before, after, head, head, int(before.size() - head - tail), int(after.size() - head - tail)};
    std::vector<std::vector<int>> trace;
    if (forwardPass(s, std::max(0, maxEdits), trace)) {
        QList<DiffLine> reversed;
        backtrack(s, trace, reversed);
        std::reverse(reversed.begin(), reversed.end());
        diff += reversed;
    } else {
        for (int x = 0; x < s.n; ++x)
            diff.append({Kind::Removed, before[head + x], int(head + x), -1});
        for (int y = 0; y < s.m; ++y)
            diff.append({Kind::Added, after[head + y], -1, int(head + y)});
    }

    for (qsizetype i = 0; i < tail; ++i) {
        const qsizetype a = before.size() - tail + i, b = after.size() - tail + i;
        diff.append({Kind::Same, before[a], int(a), int(b)});
    }
    groupChanges(diff);
    return diff;
}

DiffStats diffStats(const QList<DiffLine> &diff)
{
    DiffStats stats;
    for (const DiffLine &line : diff) {
        switch (line.kind) {
        case Kind::Same: ++stats.same; break;
        case Kind::Removed: ++stats.removed; break;
        case Kind::Added: ++stats.added; break;
        }
    }
    return stats;
}

} // namespace rcrt::ui
