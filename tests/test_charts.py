"""Server-side SVG charts: escaped labels, counts and percentages written out, empty
data and missing values handled."""

from sillon.charts import Series, bar_chart, format_percent, radar_chart


def test_bar_chart_writes_counts_and_percentages_as_text():
    svg = bar_chart([("Oui", 3), ("Non", 1)], total=4, title="Satisfait·e ?")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "aria-labelledby=" in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "3 (75\u00a0%)" in svg
    assert "1 (25\u00a0%)" in svg
    assert "<script" not in svg


def test_bar_chart_escapes_labels_and_title():
    svg = bar_chart([("<script>alert(1)</script>", 2)], total=2, title="<b>titre</b>")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&lt;b&gt;titre&lt;/b&gt;" in svg


def test_bar_chart_without_answers():
    svg = bar_chart([("Oui", 0), ("Non", 0)], total=0, title="Rien")
    assert "Aucune réponse pour l&#x27;instant." in svg
    svg = bar_chart([], total=5, title="Rien")
    assert "Aucune réponse" in svg


def test_bar_chart_wraps_long_labels():
    label = "Un libellé très long " * 10
    svg = bar_chart([(label, 1)], total=1, title="Long")
    assert svg.count("<text") >= 3  # wrapped over several lines, then the count
    assert "…" in svg


def test_format_percent_rounds():
    assert format_percent(0.75) == "75\u00a0%"
    assert format_percent(2 / 3) == "67\u00a0%"


def test_radar_chart_series_differ_by_line_and_marker():
    svg = radar_chart(
        ["Gouvernance", "Partage", "<script>x</script>"],
        [
            Series("T0", [1, 2, 3], "dotted"),
            Series("T1", [2, 3, 4], "dashed"),
            Series("T2", [3, 4, 4], "solid"),
        ],
        max_value=4,
        title="Progression",
    )
    assert 'stroke-dasharray="2 4"' in svg  # dotted
    assert 'stroke-dasharray="8 5"' in svg  # dashed
    assert "<circle" in svg and "<rect" in svg and "<polygon" in svg
    assert "&lt;script&gt;x&lt;/script&gt;" in svg
    assert "<script" not in svg
    # Level rings numbered 1 to 4, and a legend naming each series.
    for level in ("1", "2", "3", "4"):
        assert f">{level}</text>" in svg
    for name in ("T0", "T1", "T2"):
        assert f">{name}</text>" in svg


def test_radar_chart_missing_value_leaves_a_gap():
    svg = radar_chart(
        ["A", "B", "C", "D"], [Series("T1", [2, None, 3, 4], "solid")], max_value=4, title="x"
    )
    # No closed polygon for the series: only segments between known values (C–D, D–A).
    series_part = svg.split("<title>T1</title>")[1].split("</g>")[0]
    assert "<polygon" not in series_part.replace('fill="#1d4f91"/>', "")  # markers aside
    assert series_part.count("<line") == 2
    assert series_part.count("<circle") == 3
    assert "B —" in svg  # the description says the value is missing


def test_radar_chart_without_axes():
    svg = radar_chart([], [Series("T0", [], "solid")], max_value=4, title="Vide")
    assert "Aucune donnée" in svg
