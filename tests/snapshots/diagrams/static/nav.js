window.STUDYSITE_NAV = {"t":"Diagrams that must align","u":"index.html"};
