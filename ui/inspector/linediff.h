#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace rcrt::ui {

struct DiffLine
{
    enum class Kind : quint8 { Same, Removed, Added };
    Kind kind = Kind::Same;
    QString text;
    int oldLine = -1; // 0-based line in `before` (Same, Removed)
    int newLine = -1; // 0-based line in `after` (Same, Added)

    friend bool operator==(const DiffLine &a, const DiffLine &b)
    {
        return a.kind == b.kind && a.text == b.text && a.oldLine == b.oldLine && a.newLine == b.newLine;
    }
};

// A minimal line diff (Myers' O(ND) algorithm) after trimming the common head and tail. Kept
// lines, removals and additions in order: Same+Removed spell `before`, Same+Added spell `after`.
// Within a change, removals come before additions. When the edit distance of the trimmed middle
// exceeds maxEdits, the middle is reported as all removed then all added (bounded memory:
// O(maxEdits²) ints).
QList<DiffLine> diffLines(const QStringList &before, const QStringList &after, int maxEdits = 2000);

struct DiffStats
{
    int same = 0;
    int removed = 0;
    int added = 0;
};
DiffStats diffStats(const QList<DiffLine> &diff);

} // namespace rcrt::ui
