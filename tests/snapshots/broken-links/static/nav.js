window.STUDYSITE_NAV = {"t":"Broken links fixture","u":"index.html","c":[{"t":"Guide","u":"guide/index.html","c":[{"t":"Setup","u":"guide/setup.html"}]}]};
