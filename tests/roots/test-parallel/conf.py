extensions = ["myst_parser", "playbook_rh"]
language = "fr"
playbook_phases = {"recruitment": {"label": "Recrutement", "prefix": "REC"}}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
playbook_default_status = "todo"
