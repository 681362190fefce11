extensions = ["myst_parser", "playbook_rh"]
language = "fr"
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique", "marketing": "Marketing"}
playbook_statuses = {"todo": "À faire", "in-progress": "En cours", "done": "Fait", "not-applicable": "Sans objet"}
playbook_default_status = "todo"
