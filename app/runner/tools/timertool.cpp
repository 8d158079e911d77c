#include "app/runner/tools/timertool.h"

#include <QElapsedTimer>
#include <QTimer>

#include <cmath>

namespace rcrt {

TimerTool::TimerTool()
    : BuiltinTool({
        QStringLiteral("timer"),
        QStringLiteral("Waits the given number of seconds (0–60) without blocking (built into "
                       "RCRT Console)"),
        R"({"type":"object","required":["seconds"],"properties":{
            "seconds":{"type":"number","minimum":0,"maximum":60,
                       "description":"Seconds to wait"}}})",
        R"({"type":"object","properties":{
            "waited_ms":{"type":"integer","description":"Milliseconds actually waited"},
            "waited":{"type":"number","description":"Seconds requested"}}})",
        R"([{"description":"Wait two seconds","input":{"seconds":2},
             "output":{"waited_ms":2001,"waited":2}}])",
        65'000,
    })
{
}

ToolRun *TimerTool::start(const QJsonValue &input, ToolContext &, QObject *parent)
{
    const double seconds = input.toObject().value(u"seconds").toDouble(-1);
    if (!(seconds >= 0 && seconds <= 60))
        return finishSoon(ToolResult::failure(QStringLiteral("seconds must be between 0 and 60")),
                          parent);

    auto *run = new ToolRun(parent);
    auto *timer = new QTimer(run); // dies with the run: deleting the run cancels the wait
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    QElapsedTimer clock;
    clock.start();
    QObject::connect(timer, &QTimer::timeout, run, [run, clock, seconds] {
        emit run->finished(ToolResult::success(QJsonObject{
            {QStringLiteral("waited_ms"), double(clock.elapsed())},
            {QStringLiteral("waited"), seconds}}));
    });
    timer->start(int(std::lround(seconds * 1000)));
    return run;
}

} // namespace rcrt
