extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build", "releases"]
# releases/0.1/needs.json was written by the `needs` builder from this project as it
# was at 0.1; the pages below are the project at 0.2.
version = "0.2"
release = "0.2.0"
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
playbook_default_status = "todo"
