#include "ui/mainwindow.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rcrt-console"));
    QApplication::setOrganizationName(QStringLiteral("RCRT"));
    QApplication::setApplicationVersion(QStringLiteral(RCRT_VERSION));
    rcrt::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
