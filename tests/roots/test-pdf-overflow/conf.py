# Text that a page cannot hold as written: a 200-letter word, a long address, an emoji
# and Chinese characters (no font of the PDF has them). The PDF build must print them
# or fail naming the item; it must never drop them in silence.
extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build"]
latex_engine = "xelatex"
latex_documents = [("index", "overflow.tex", "Débordements", "Tests", "howto")]
latex_elements = {"papersize": "a4paper", "printindex": "", "makeindex": ""}
latex_use_xindy = False
playbook_phases = {"recruitment": {"label": "Recrutement", "prefix": "REC"}}
playbook_owners = {"hr": "Ressources humaines"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
