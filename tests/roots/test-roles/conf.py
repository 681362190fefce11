extensions = ["myst_parser", "playbook_rh"]
language = "fr"
html_baseurl = "https://playbook.example.org/"
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique", "dpo": "DPO"}
playbook_statuses = {"todo": "À faire", "in-progress": "En cours", "done": "Fait",
                     "not-applicable": "Sans objet"}
playbook_default_status = "todo"
latex_documents = [
    ("index", "guide.tex", "Guide", "Test", "manual"),
    ("roles/legal", "playbook-role-legal.tex", "Rôle : Juridique", "Test", "howto"),
]
