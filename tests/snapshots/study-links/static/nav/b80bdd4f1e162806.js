(window.STUDYSITE_NAV = window.STUDYSITE_NAV || {})["b80bdd4f1e162806"] = {"t":"Governance","u":"governance/index.html","c":[{"t":"Lake Formation","u":"governance/lake-formation.html"}]};
