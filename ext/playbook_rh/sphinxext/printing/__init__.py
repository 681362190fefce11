"""Printing: the LaTeX builder and transforms that make the PDF playbooks
(``latex``), and the download link each page shows to its PDF (``downloads``).
"""
