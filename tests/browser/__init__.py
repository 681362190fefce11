"""Helpers of the browser tests: a local server for the built site, Chromium's options."""
