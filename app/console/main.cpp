#include "app/consolelaunch.h"
#include "app/profiles.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rcrt-console"));
    QApplication::setOrganizationName(QStringLiteral("RCRT"));
    QApplication::setApplicationVersion(QStringLiteral(RCRT_VERSION));

    rcrt::ui::MainWindow window;
    const rcrt::ConsoleLaunch launch = rcrt::planConsoleLaunch(
        QApplication::arguments().mid(1), window.profiles(), window.secrets());
    window.show();
    QString replay = launch.files.value(0);
    QString replayError;
    if (launch.replayDemo)
        replay = rcrt::findDemoSession(QApplication::applicationDirPath(), &replayError);
    if (!replay.isEmpty() || !replayError.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, replay, replayError] {
            if (!replayError.isEmpty())
                QMessageBox::warning(&window, QObject::tr("RCRT Console"), replayError);
            else
                window.openSession(replay);
        });
        return QApplication::exec();
    }
    if (launch.settings)
        window.connectTo(*launch.settings, launch.profileName);
    if (!launch.error.isEmpty() || launch.askUser) {
        QTimer::singleShot(0, &window, [&window, launch] {
            if (!launch.error.isEmpty())
                QMessageBox::warning(&window, QObject::tr("RCRT Console"), launch.error);
            if (launch.askUser)
                window.chooseConnection();
        });
    }
    return QApplication::exec();
}
