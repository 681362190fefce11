extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build"]
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
    # No checklist of this phase anywhere: phase_without_questions.
    "enterprise-networks": {"label": "Réseaux d'entreprise", "prefix": "RSE"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique"}
playbook_statuses = {"todo": "À faire", "done": "Fait"}
playbook_default_status = "todo"
playbook_profile = {
    "headcount": {"label": "Effectif", "question": "Combien de salariés ?", "kind": "bands",
                  "bands": {"moins-de-50": "Moins de 50", "50-plus": "50 ou plus"},
                  "bounds": [0, 50], "unit": "salariés"},
}
