# A checklist written once and pulled into pages by {include}: its warnings must name
# the included file, and including it twice must say so, with the including lines.
extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build", "parts"]
playbook_phases = {"recruitment": {"label": "Recrutement", "prefix": "REC"}}
playbook_owners = {"hr": "Ressources humaines"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
