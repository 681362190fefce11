"""Bar charts as inline SVG: accessible, escaped, sized by count."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from playbook_rh.sphinxext.dashboards.bars_svg import render_bars_svg

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


def test_bars_say_their_data_to_assistive_technology() -> None:
    svg = BeautifulSoup(render_bars_svg("Par <rôle>", ["RH & co", "Juridique", "DPO"],
                                        [6, 3, 0], element_id="chart"), "html.parser").svg
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "chart-title" and svg["aria-describedby"] == "chart-desc"
    assert svg.select_one("title#chart-title").get_text() == "Par <rôle>"
    assert svg.select_one("desc").get_text() == (
        f"RH & co{NBSP}: 6 (66,7{NARROW_NBSP}%); Juridique{NBSP}: 3 (33,3{NARROW_NBSP}%); "
        f"DPO{NBSP}: 0 (0,0{NARROW_NBSP}%)")
    widths = [float(bar["width"]) for bar in svg.select("rect.playbook-bars-bar")]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert "http" not in str(svg).replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize(("labels", "sizes"), [
    (["a"], [0]), (["a", "b"], [1]), (["a"], [-1]), (["a"], [float("nan")]), ([], []),
])
def test_bars_refuse_what_cannot_be_drawn(labels: list[str], sizes: list[float]) -> None:
    with pytest.raises(ValueError):
        render_bars_svg("t", labels, sizes)
