"""Spreadsheet exports: formulas escaped in CSV and XLSX, accents readable, HTML kept as
plain text."""

import csv
import io

import openpyxl
import pytest
from django.http import Http404

from sillon.exports import escape_formula, spreadsheet_response

DANGEROUS = ["=1+1", "+33 6 12 34 56 78", "-2", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_escape_formula_prefixes_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Très bien", "", "1+1", "a=b", 3, 2.5, -2, None])
def test_escape_formula_leaves_the_rest(value):
    assert escape_formula(value) == value


def _rows():
    return [[value, 7] for value in DANGEROUS] + [["<script>alert(1)</script>", -3]]


def test_csv_escapes_formulas_and_has_a_byte_order_mark():
    response = spreadsheet_response(
        headers=["Réponse", "=Nombre"], rows=_rows(), filename="Résultats été", fmt="csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="resultats-ete.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == ["Réponse", "'=Nombre"]
    assert [row[0] for row in rows[1 : len(DANGEROUS) + 1]] == ["'" + v for v in DANGEROUS]
    assert rows[-1] == ["<script>alert(1)</script>", "-3"]  # a number stays a number


def test_xlsx_escapes_formulas():
    response = spreadsheet_response(
        headers=["Réponse", "Nombre"], rows=_rows(), filename="export", fmt="xlsx"
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="export.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Réponse", "Nombre"]
    # (XML stores a carriage return as a line feed.)
    assert [row[0] for row in values[1 : len(DANGEROUS) + 1]] == [
        "'" + v.replace("\r", "\n") for v in DANGEROUS
    ]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formula anywhere
    assert values[-1] == ["<script>alert(1)</script>", -3]


def test_unknown_format_is_not_found():
    with pytest.raises(Http404):
        spreadsheet_response(headers=["a"], rows=[], filename="x", fmt="pdf")
