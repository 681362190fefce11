extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build"]
playbook_phases = {"recruitment": {"label": "Recrutement", "prefix": "REC"}}
playbook_owners = {"hr": "Ressources humaines"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
playbook_today = "2026-12-01"
playbook_review_months = 12
