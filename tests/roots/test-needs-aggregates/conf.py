# sphinx-needs' own aggregates on the playbook's pages, for authors who want them.
extensions = ["myst_parser", "sphinx.ext.graphviz", "playbook_rh"]
language = "fr"
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
playbook_default_status = "todo"
needs_flow_engine = "graphviz"  # needflow without PlantUML (Java): Graphviz's dot
