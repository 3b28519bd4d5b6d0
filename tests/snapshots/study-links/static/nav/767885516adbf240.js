(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["767885516adbf240"] = {"t":"Deep","u":"deep/index.html","c":[{"t":"Er","u":"deep/er/index.html","p":"778475c42bd940a6"}]};
