"""The needpie replacement draws a pie as an accessible inline SVG, like sphinx-needs'
matplotlib figure: same start, direction, colours, hidden small wedges, forced legend."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from playbook_rh.sphinxext.dashboards.pie_svg import DEFAULT_COLORS, render_pie_svg

SVG = "{http://www.w3.org/2000/svg}"
PHASES = ["Réseaux d'entreprise", "Cadrage juridique", "Formation des managers",
          "Communication interne", "Mesure & bilan"]
NUMBER = r"-?\d+(?:\.\d+)?"
ARC_PATH = re.compile(
    rf"M ({NUMBER}) ({NUMBER}) A ({NUMBER}) ({NUMBER}) 0 ([01]) ([01]) ({NUMBER}) ({NUMBER}) "
    rf"L ({NUMBER}) ({NUMBER}) Z")


def parse(svg: str) -> Element:
    root: Element = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: Element, name: str) -> list[Element]:
    return [element for element in root.iter() if name in element.get("class", "").split()]


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def wedges(root: Element) -> list[Element]:
    return by_class(root, "playbook-pie-wedge")


def legend_texts(root: Element) -> list[str]:
    return [text_of(entry) for entry in by_class(root, "playbook-pie-legend-entry")]


def arc(path: Element) -> dict[str, float]:
    match = ARC_PATH.fullmatch(path.get("d", ""))
    assert match, path.get("d")
    names = ["x0", "y0", "rx", "ry", "large", "sweep", "x1", "y1", "cx", "cy"]
    return dict(zip(names, map(float, match.groups()), strict=True))


def test_svg_is_an_image_with_a_title_and_a_description() -> None:
    root = parse(render_pie_svg("Avancement", ["Fait", "À faire"], [7, 10]))
    assert root.get("role") == "img"
    assert root.get("class") == "playbook-pie"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "max-width" in root.get("style", "")
    assert root.get("font-family") == "inherit"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "Avancement"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.get("id") != desc.get("id")
    heading = by_class(root, "playbook-pie-title")
    assert [text_of(element) for element in heading] == ["Avancement"]


def test_description_lists_every_wedge_with_count_and_french_percentage() -> None:
    root = parse(render_pie_svg("Points", ["Fait", "À faire", "Bloqué"], [7, 8, 2]))
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == ("Fait\u00a0: 7 (41,2\u202f%); À faire\u00a0: 8 (47,1\u202f%); "
                         "Bloqué\u00a0: 2 (11,8\u202f%)")
    # the same text is each wedge's tooltip
    tooltips = [wedge.findtext(f"{SVG}title") for wedge in wedges(root)]
    assert tooltips == ["Fait\u00a0: 7 (41,2\u202f%)", "À faire\u00a0: 8 (47,1\u202f%)",
                        "Bloqué\u00a0: 2 (11,8\u202f%)"]


def test_empty_title_names_the_image_graphique_without_a_heading() -> None:
    root = parse(render_pie_svg("", ["A", "B"], [1, 1]))
    assert root.findtext(f"{SVG}title") == "Graphique"
    assert by_class(root, "playbook-pie-title") == []


def test_wedges_show_label_outside_and_percentage_and_count_inside() -> None:
    root = parse(render_pie_svg("", ["Fait", "À faire"], [7, 10]))
    assert [text_of(label) for label in by_class(root, "playbook-pie-label")] == [
        "Fait", "À faire"]
    values = by_class(root, "playbook-pie-value")
    assert [[tspan.text for tspan in value] for value in values] == [
        ["41,2\u202f%", "(7)"], ["58,8\u202f%", "(10)"]]
    assert all(value.get("fill") == "#fff" and value.get("font-weight") == "bold"
               for value in values)
    assert all(label.get("fill") == "currentColor"
               for label in by_class(root, "playbook-pie-label"))


def test_one_path_per_non_zero_size() -> None:
    root = parse(render_pie_svg("", ["A", "B", "C", "D"], [3, 0, 5, 2]))
    paths = wedges(root)
    assert len(paths) == 3
    assert all(path.tag == f"{SVG}path" for path in paths)
    assert [path.findtext(f"{SVG}title") for path in paths] == [
        "A\u00a0: 3 (30,0\u202f%)", "C\u00a0: 5 (50,0\u202f%)", "D\u00a0: 2 (20,0\u202f%)"]


def test_a_single_non_zero_size_is_a_full_circle() -> None:
    root = parse(render_pie_svg("Tout", ["Seul", "Vide"], [4, 0]))
    shapes = wedges(root)
    assert [shape.tag for shape in shapes] == [f"{SVG}circle"]
    assert root.find(f".//{SVG}path") is None
    assert shapes[0].findtext(f"{SVG}title") == "Seul\u00a0: 4 (100,0\u202f%)"
    value = by_class(root, "playbook-pie-value")
    assert [[tspan.text for tspan in element] for element in value] == [
        ["100,0\u202f%", "(4)"]]


def test_small_wedges_hide_their_texts_and_force_the_legend() -> None:
    # 1 of 40 is 2,5 %: under needpie's 5 % threshold; 0 is hidden too
    root = parse(render_pie_svg("", ["Fait", "Bloqué", "À faire", "Abandonné"], [24, 1, 15, 0]))
    assert [text_of(label) for label in by_class(root, "playbook-pie-label")] == [
        "Fait", "À faire"]
    values = [text_of(value) for value in by_class(root, "playbook-pie-value")]
    assert values == ["60,0\u202f%(24)", "37,5\u202f%(15)"]
    assert [text_of(title) for title in by_class(root, "playbook-pie-legend-title")] == [
        "Légende"]
    assert legend_texts(root) == ["Fait 60,0\u202f% (24)", "Bloqué 2,5\u202f% (1)",
                                  "À faire 37,5\u202f% (15)", "Abandonné 0,0\u202f% (0)"]
    swatches = [entry.find(f"{SVG}rect") for entry in
                by_class(root, "playbook-pie-legend-entry")]
    assert [swatch.get("fill") for swatch in swatches if swatch is not None] == list(
        DEFAULT_COLORS[:4])


def test_exactly_five_percent_still_shows_its_texts() -> None:
    root = parse(render_pie_svg("", ["Grand", "Petit"], [19, 1]))
    assert len(by_class(root, "playbook-pie-value")) == 2
    assert by_class(root, "playbook-pie-legend") == []


def test_legend_heading_present_only_with_a_legend() -> None:
    without = render_pie_svg("", ["A", "B"], [1, 2])
    assert "Légende" not in without
    assert by_class(parse(without), "playbook-pie-legend") == []
    root = parse(render_pie_svg("", ["A", "B"], [1, 2], legend=True))
    assert [text_of(title) for title in by_class(root, "playbook-pie-legend-title")] == [
        "Légende"]
    # an asked-for legend names the wedges only: their texts are on the pie
    assert legend_texts(root) == ["A", "B"]
    assert "legend<" not in render_pie_svg("", ["A", "B"], [1, 2], legend=True)


def test_legend_is_right_of_the_pie_and_inside_the_image() -> None:
    svg = render_pie_svg("Avancement par phase", PHASES, [7, 4, 3, 5, 1], legend=True)
    root = parse(svg)
    width = float(root.get("viewBox", "").split()[2])
    frame = by_class(root, "playbook-pie-legend")[0].find(f"{SVG}rect")
    assert frame is not None
    left = float(frame.get("x", ""))
    labels_right = max(float(label.get("x", "")) for label in
                       by_class(root, "playbook-pie-label") if label.get("text-anchor") != "end")
    assert left > labels_right
    assert left + float(frame.get("width", "")) <= width


def test_text_from_authors_is_escaped() -> None:
    label = '<b>&"x"'
    svg = render_pie_svg('Titre <i>&"', [label, "Autre"], [1, 1])
    root = parse(svg)
    assert "<b>" not in svg
    assert root.findtext(f"{SVG}title") == 'Titre <i>&"'
    assert text_of(by_class(root, "playbook-pie-label")[0]) == label
    assert wedges(root)[0].findtext(f"{SVG}title") == f"{label}\u00a0: 1 (50,0\u202f%)"
    assert label in root.findtext(f"{SVG}desc", "")


def test_element_id_is_escaped_and_gives_the_ids() -> None:
    root = parse(render_pie_svg("", ["A"], [1], element_id='pie-1" onclick="x'))
    assert root.get("id") == 'pie-1" onclick="x'
    assert root.get("onclick") is None
    root = parse(render_pie_svg("", ["A"], [1], element_id="needpie-3"))
    assert root.get("id") == "needpie-3"
    assert root.get("aria-labelledby") == "needpie-3-title"
    assert root.get("aria-describedby") == "needpie-3-desc"


def test_unsafe_colours_fall_back_to_the_default_colour() -> None:
    svg = render_pie_svg("", ["A", "B", "C", "D"], [1, 1, 1, 1],
                         colors=['red" onload="x', " #c33 ", "green", "url(#x)"])
    assert "onload" not in svg
    assert "url(" not in svg
    fills = [wedge.get("fill") for wedge in wedges(parse(svg))]
    assert fills == [DEFAULT_COLORS[0], "#c33", "green", DEFAULT_COLORS[3]]
    assert all(wedge.get("onload") is None for wedge in wedges(parse(svg)))


def test_colours_cycle_like_matplotlib() -> None:
    defaults = [wedge.get("fill") for wedge in
                wedges(parse(render_pie_svg("", [str(n) for n in range(12)], [1] * 12)))]
    assert defaults == [*DEFAULT_COLORS, DEFAULT_COLORS[0], DEFAULT_COLORS[1]]
    given = [wedge.get("fill") for wedge in
             wedges(parse(render_pie_svg("", ["A", "B", "C"], [1, 1, 1],
                                         colors=["red", "#00f"])))]
    assert given == ["red", "#00f", "red"]


@pytest.mark.parametrize("sizes", [[], [0, 0], [0.0]])
def test_nothing_to_draw_is_an_error(sizes: list[float]) -> None:
    with pytest.raises(ValueError):
        render_pie_svg("Vide", ["x"] * len(sizes), sizes)


def test_mismatched_or_negative_sizes_are_errors() -> None:
    with pytest.raises(ValueError):
        render_pie_svg("", ["A"], [1, 2])
    with pytest.raises(ValueError):
        render_pie_svg("", ["A", "B"], [1, -2])


def test_output_is_deterministic_and_ids_differ_between_charts() -> None:
    first = render_pie_svg("Phases", PHASES, [7, 4, 3, 2, 1], legend=True)
    assert render_pie_svg("Phases", PHASES, [7, 4, 3, 2, 1], legend=True) == first
    other = render_pie_svg("Phases", PHASES, [7, 4, 3, 2, 2], legend=True)
    assert parse(first).get("id") != parse(other).get("id")


def test_half_and_half_starts_at_twelve_and_turns_counter_clockwise() -> None:
    root = parse(render_pie_svg("", ["Gauche", "Droite"], [1, 1]))
    first, second = (arc(path) for path in wedges(root))
    radius = first["rx"]
    assert first["x0"] == pytest.approx(first["cx"], abs=0.01)
    assert first["y0"] == pytest.approx(first["cy"] - radius, abs=0.01)  # 12 o'clock
    assert first["x1"] == pytest.approx(first["cx"], abs=0.01)
    assert first["y1"] == pytest.approx(first["cy"] + radius, abs=0.01)  # 6 o'clock
    assert first["sweep"] == 0  # counter-clockwise on screen
    assert (second["x0"], second["y0"]) == (first["x1"], first["y1"])
    assert second["y1"] == pytest.approx(first["y0"], abs=0.01)
    # so the first wedge is the left half: its label is left of the centre
    gauche, droite = by_class(root, "playbook-pie-label")
    assert float(gauche.get("x", "")) < first["cx"] < float(droite.get("x", ""))
    assert gauche.get("text-anchor") == "end"


def test_three_quarters_use_the_large_arc_and_end_at_three_o_clock() -> None:
    root = parse(render_pie_svg("", ["Grand", "Petit"], [3, 1]))
    big, small = (arc(path) for path in wedges(root))
    assert (big["large"], small["large"]) == (1, 0)
    assert big["x1"] == pytest.approx(big["cx"] + big["rx"], abs=0.01)
    assert big["y1"] == pytest.approx(big["cy"], abs=0.01)


def test_a_realistic_pie_is_self_contained_and_compact() -> None:
    svg = render_pie_svg("Avancement par phase", PHASES, [7, 4, 3, 2, 1])
    root = parse(svg)
    assert [text_of(label) for label in by_class(root, "playbook-pie-label")] == PHASES
    assert len(wedges(root)) == 5
    assert "Réseaux d'entreprise\u00a0: 7 (41,2\u202f%)" in root.findtext(f"{SVG}desc", "")
    assert by_class(root, "playbook-pie-legend") == []  # 1 of 17 is 5,9 %
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "g", "path", "circle", "rect", "text", "tspan"}
    assert not any("href" in name for element in root.iter() for name in element.attrib)
    assert "url(" not in svg and "@import" not in svg
    # numbers carry at most 2 decimals
    assert not re.search(r"\d\.\d{3}", svg)


def test_a_wedge_of_nearly_the_whole_pie_is_still_drawn() -> None:
    # its ends round to the same point, where an SVG arc would draw nothing
    root = parse(render_pie_svg("", ["Presque tout", "Miette"], [10_000_000, 1]))
    assert [shape.tag for shape in wedges(root)] == [f"{SVG}circle", f"{SVG}path"]
    assert legend_texts(root) == ["Presque tout 100,0\u202f% (10000000)",
                                  "Miette 0,0\u202f% (1)"]
