(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["root"] = {"t":"Diagrams that must align","u":"index.html","c":[]};
