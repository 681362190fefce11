"""sphinxext"""
