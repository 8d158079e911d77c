#pragma once

#include "ui/inspector/linediff.h"

#include <QJsonValue>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace rcrt::ui {

// Version history from `GET /breadcrumbs/{id}/history` (§1.3: only `context` is versioned,
// newest first) with two version pickers and a line diff of the pretty-printed contexts
// (keys sorted, so reordering alone is no change). Removed lines red, added lines green;
// "Changes only" folds unchanged runs to a few lines of context.
class HistoryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPanel)

public:
    struct Entry
    {
        int version = 0;
        QJsonValue context;
        QString updatedAt;
        QString updatedBy;
    };
    static constexpr int kContextLines = 3;

    explicit HistoryPanel(QWidget *parent = nullptr);

    void clear();
    void setStatus(const QString &text, bool isError = false);
    // Parses a /history body; false (and an error status) when it is not the expected shape.
    bool setHistoryJson(const QByteArray &body, int selectedVersion);
    // Entries in any order; shown newest first. Picks selectedVersion (or the newest) on the
    // right and the version before it on the left; for the oldest version, it and the next.
    void setEntries(QList<Entry> entries, int selectedVersion);
    void compare(int oldVersion, int newVersion);

    const QList<Entry> &entries() const { return m_entries; }
    const QList<DiffLine> &currentDiff() const { return m_diff; }
    QComboBox *oldCombo() const { return m_old; }
    QComboBox *newCombo() const { return m_new; }
    QPlainTextEdit *diffView() const { return m_view; }
    QString statusText() const;
    QString summaryText() const;

    static QStringList contextLines(const QJsonValue &context);

private:
    static QString foldText(qsizetype lines);
    void recompute();
    void render();

    QComboBox *m_old = nullptr;
    QComboBox *m_new = nullptr;
    QCheckBox *m_changesOnly = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_view = nullptr;
    QList<Entry> m_entries; // newest first
    QList<DiffLine> m_diff;
};

} // namespace rcrt::ui
