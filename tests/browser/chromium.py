"""Debian's Chromium, driven by Playwright, without anything from the network.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``. The
options turn off what Chromium would otherwise fetch by itself (component updates,
sync, field trials over QUIC), so the only requests are the ones pages make.
"""

from __future__ import annotations

CHROMIUM = "chromium"
ARGUMENTS = [
    "--no-sandbox",  # root in a container: Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
