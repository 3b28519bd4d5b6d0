(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["root"] = {"t":"Broken links fixture","u":"index.html","c":[{"t":"Guide","u":"guide/index.html","p":"71105559928b81e5"}]};
