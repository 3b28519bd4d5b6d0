(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["71105559928b81e5"] = {"t":"Guide","u":"guide/index.html","c":[{"t":"Setup","u":"guide/setup.html"}]};
