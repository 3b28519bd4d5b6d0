(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["778475c42bd940a6"] = {"t":"Er","u":"deep/er/index.html","c":[{"t":"Deep notes","u":"deep/er/notes.html"}]};
