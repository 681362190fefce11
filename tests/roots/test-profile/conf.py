extensions = ["myst_parser", "playbook_rh"]
language = "fr"
exclude_patterns = ["_build"]
playbook_phases = {
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "enterprise-networks": {"label": "Réseaux d'entreprise", "prefix": "RSE"},
}
playbook_owners = {"hr": "Ressources humaines", "legal": "Juridique"}
playbook_statuses = {"todo": "À faire", "in-progress": "En cours", "done": "Fait",
                     "not-applicable": "Sans objet"}
playbook_default_status = "todo"
playbook_profile = {
    "headcount": {
        "label": "Effectif",
        "question": "Combien de salariés ?",
        "kind": "bands",
        "bands": {"moins-de-11": "Moins de 11", "11-49": "De 11 à 49", "50-299": "De 50 à 299",
                  "300-plus": "300 ou plus"},
        "bounds": [0, 11, 50, 300],
        "unit": "salariés",
    },
    "internal-network": {
        "label": "Réseau social interne",
        "question": "Avez-vous un réseau social interne ?",
        "kind": "yes-no",
        "yes": "qui ont un réseau social interne",
        "no": "qui n’ont pas de réseau social interne",
    },
    "sector": {
        "label": "Secteur",
        "question": "Dans quel secteur ?",
        "kind": "choice",
        "choices": {"public": "Public", "private": "Privé"},
    },
}
