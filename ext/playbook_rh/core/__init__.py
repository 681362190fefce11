"""What has no Sphinx in it: item IDs, the questions read from needs.json, run files
(reading, writing, progress), legal review dates and French dates.

The command line and other tools use it without a Sphinx installation being loaded;
``tests/test_architecture.py`` checks that nothing here imports Sphinx, docutils or
sphinx-needs, nor the rest of the package.
"""
