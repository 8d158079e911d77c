// End to end: rcrt-sim's demo workload into the real main window, offscreen. Rows, paired
// flows, pending requests and chart points must appear within seconds, as a newcomer sees them.

#include "model/flowtracker.h"
#include "support/simprocess.h"
#include "ui/charts/latencychartsview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/flows/flowsview.h"
#include "ui/flows/flowtreemodel.h"
#include "ui/mainwindow.h"
#include "ui/pending/pendingmodel.h"
#include "ui/pending/pendingview.h"
#include "ui/status/connectionstatus.h"

#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace rcrt;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // keep the user's settings out of it
        qputenv("RCRT_NO_KEYCHAIN", "1");
    }

    void demoFillsEveryView()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo")}), qPrintable(sim.error()));
        ui::MainWindow window;
        window.show();
        ConnectionSettings settings;
        settings.url = sim.url();
        window.connectTo(settings, QStringLiteral("demo"));

        QTRY_VERIFY_WITH_TIMEOUT(window.eventsView()->model()->rowCount() > 15, 20000);
        // The demo's first scenario: an LLM call and a workflow with three step requests, all
        // answered by the simulated runner.
        QTRY_VERIFY_WITH_TIMEOUT(window.flowTracker()->responseCount() >= 4, 20000);
        QVERIFY(window.flowTracker()->requestCount() >= 4);
        QVERIFY(window.flowsView()->model()->rowCount() > 0);
        QVERIFY(window.pendingView()->model()->rowCount() > 0);

        window.tabs()->setCurrentWidget(window.chartsView());
        window.chartsView()->refreshNow();
        QVERIFY(window.chartsView()->lastRefreshStats().pointsPlotted > 0);

        QTRY_VERIFY_WITH_TIMEOUT(window.connectionStatus()->figures().pingAgeSeconds(nowNs()) >= 0, 10000);
        QVERIFY(window.connectionStatus()->figures().lagP95Ms() >= 0);
        QVERIFY(window.windowTitle().contains(sim.url().toString()));
    }

    void reconnectToAnotherServerClearsViews()
    {
        test::SimProcess a, b;
        QVERIFY2(a.start({QStringLiteral("--workload"), QStringLiteral("demo")}), qPrintable(a.error()));
        QVERIFY2(b.start(), qPrintable(b.error()));
        ui::MainWindow window;
        window.show();
        ConnectionSettings settings;
        settings.url = a.url();
        window.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(window.eventsView()->model()->rowCount() > 0, 20000);
        settings.url = b.url();
        window.connectTo(settings);
        QCOMPARE(window.eventsView()->model()->rowCount(), 0);
        QCOMPARE(window.flowTracker()->requestCount(), 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
