"""The ``checklist`` directive: a Markdown task list parsed into items (``parsing``),
checked and recorded as sphinx-needs needs (``directive``), drawn as checklist entries
(``nodes``, ``items``, ``item_links``) and checked across pages (``checks``).
"""
