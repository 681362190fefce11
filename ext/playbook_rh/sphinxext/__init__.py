"""The Sphinx extension, by feature: the checklist directive (``checklist/``), facts and
sources, legal review dates, dashboards, the run report, what changed between
releases, printing (``printing/``) and the published site (``site/``).

``extension.py`` holds ``setup()``; ``needs.py`` is the one door to sphinx-needs.
"""
