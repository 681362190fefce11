"""The dashboards: the playbook's own directives over its questions.

``questions-table`` (:mod:`.questions_table`) lists questions chosen by their fields,
``questions-count`` (:mod:`.questions_count`) counts them as an SVG pie or bars
(:mod:`.pie_svg`, :mod:`.bars_svg`) or a table; :mod:`.options` checks their shared
options, :mod:`.selection` chooses and groups the questions, :mod:`.writing` draws
them when a page is written, from the needs view (never from sphinx-needs itself).
"""
