# A sphinx-needs need box is a one-cell table: too tall for a page, LaTeX cuts it and
# says so only in its log. The PDF build must fail on it.
extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build"]
latex_engine = "xelatex"
latex_documents = [("index", "cut.tex", "Contenu coupé", "Tests", "howto")]
latex_elements = {"papersize": "a4paper", "printindex": "", "makeindex": ""}
latex_use_xindy = False
playbook_phases = {"recruitment": {"label": "Recrutement", "prefix": "REC"}}
playbook_owners = {"hr": "Ressources humaines"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
