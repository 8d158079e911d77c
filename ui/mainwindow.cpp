#include "ui/mainwindow.h"

namespace rcrt::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("RCRT Console"));
    resize(1200, 800);
}

} // namespace rcrt::ui
