"""The organisation profile both benchmarks declare (as ``conf.py``'s
``playbook_profile``): ``run.py`` writes it into its projects' ``conf.py``, ``status.py``
into the vocabulary beside its needs.json, so the two measure scoping on the same
criteria."""

from __future__ import annotations

from typing import Any

PROFILE: dict[str, dict[str, Any]] = {
    "headcount": {"label": "Effectif", "question": "Combien de salariés ?", "kind": "bands",
                  "bands": {"moins-de-11": "Moins de 11", "11-49": "De 11 à 49",
                            "50-299": "De 50 à 299", "300-plus": "300 ou plus"},
                  "bounds": [0, 11, 50, 300], "unit": "salariés"},
    "internal-network": {"label": "Réseau social interne", "question": "Réseau interne ?",
                         "kind": "yes-no", "yes": "qui ont un réseau social interne"},
    "ambassadors": {"label": "Ambassadeurs", "question": "Ambassadeurs ?", "kind": "yes-no"},
}
