#!/usr/bin/env python3
"""Check an .xlsx with openpyxl, a reader Scorebook did not write.

Usage:
  check_xlsx.py BOOK.xlsx --spec spec.json
  check_xlsx.py BOOK.xlsx [--sheets "HR Import,About"] [--sheet "HR Import"] [--header "工号,姓名,..."]
                [--rows N] [--numeric-columns "final_score,grade_points"] [--no-formulas]
                [--text "=1+1" --text=-2+3 ...] [--no-blank-rows]
  (a --text value that starts with "-" must be given as --text=VALUE, an argparse rule)

A spec file is JSON:
  {"sheets": ["HR Import", "About"],            # exact sheet names, in order
   "checks": [{"sheet": "HR Import",
               "header": ["工号", "姓名"],         # row 1, exactly these values (extra columns fail)
               "rows": 3,                         # data rows after the header (max_row - 1)
               "numeric_columns": ["最终得分"],    # by header text, or 1-based column numbers
               "no_formulas": true,               # no cell holds a formula
               "no_blank_rows": true,             # no empty row inside the data
               "texts": ["=1+1", "+SUM(A1)"],     # each must appear as a string cell with exactly this text
               "cells": {"B2": "张三", "F2": 87.5} # exact values
              }]}
Exits 0 when everything matches; otherwise prints every mismatch and exits 1 (2 for usage errors).
"""
import argparse
import json
import sys

try:
    import openpyxl
except ImportError:  # pragma: no cover
    print("check_xlsx: openpyxl is not installed (pip install openpyxl)", file=sys.stderr)
    sys.exit(2)


def check_sheet(wb, spec, errors):
    name = spec["sheet"]
    if name not in wb.sheetnames:
        errors.append(f"sheet {name!r} missing (have {wb.sheetnames})")
        return
    ws = wb[name]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]] if rows else []
    while header and header[-1] is None:
        header.pop()

    if "header" in spec and header != spec["header"]:
        errors.append(f"{name}: header row is {header}, expected {spec['header']}")

    if "rows" in spec:
        data_rows = ws.max_row - 1 if rows else 0
        if data_rows != spec["rows"]:
            errors.append(f"{name}: {data_rows} data rows, expected {spec['rows']}")

    for col in spec.get("numeric_columns", []):
        if isinstance(col, int):
            idx = col - 1
        elif col in header:
            idx = header.index(col)
        else:
            errors.append(f"{name}: numeric column {col!r} not in header")
            continue
        for r in rows[1:]:
            cell = r[idx] if idx < len(r) else None
            if cell is None or cell.value is None:
                continue
            if cell.data_type != "n" or isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
                errors.append(f"{name}!{cell.coordinate}: {cell.value!r} is not numeric (type {cell.data_type})")

    if spec.get("no_formulas"):
        for r in rows:
            for c in r:
                if c.data_type == "f" or (isinstance(c.value, str) and c.data_type != "s" and c.value.startswith("=")):
                    errors.append(f"{name}!{c.coordinate}: formula {c.value!r}")

    if spec.get("no_blank_rows"):
        for r in rows[1:]:
            if all(c.value is None for c in r):
                errors.append(f"{name}: row {r[0].row} is blank")

    texts = {}
    for r in rows:
        for c in r:
            if isinstance(c.value, str):
                texts.setdefault(c.value, c)
    for t in spec.get("texts", []):
        c = texts.get(t)
        if c is None:
            errors.append(f"{name}: text {t!r} not found as a string cell")
        elif c.data_type != "s":
            errors.append(f"{name}!{c.coordinate}: {t!r} has type {c.data_type}, expected string")

    for ref, expected in spec.get("cells", {}).items():
        got = ws[ref].value
        if got != expected:
            errors.append(f"{name}!{ref}: {got!r}, expected {expected!r}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workbook")
    ap.add_argument("--spec", help="JSON expectations file")
    ap.add_argument("--sheets", help="comma-separated exact sheet names in order")
    ap.add_argument("--sheet", help="sheet for the following checks")
    ap.add_argument("--header", help="comma-separated header row")
    ap.add_argument("--rows", type=int, help="data rows after the header")
    ap.add_argument("--numeric-columns", help="comma-separated header names that must be numeric")
    ap.add_argument("--no-formulas", action="store_true")
    ap.add_argument("--no-blank-rows", action="store_true")
    ap.add_argument("--text", action="append", default=[], help="a string that must read back as text")
    a = ap.parse_args(argv)

    if a.spec:
        with open(a.spec, encoding="utf-8") as f:
            spec = json.load(f)
    else:
        spec = {"checks": []}
        if a.sheets:
            spec["sheets"] = a.sheets.split(",")
        if a.sheet:
            s = {"sheet": a.sheet, "no_formulas": a.no_formulas, "no_blank_rows": a.no_blank_rows, "texts": a.text}
            if a.header:
                s["header"] = a.header.split(",")
            if a.rows is not None:
                s["rows"] = a.rows
            if a.numeric_columns:
                s["numeric_columns"] = a.numeric_columns.split(",")
            spec["checks"].append(s)
        elif a.header or a.rows is not None or a.numeric_columns or a.no_formulas or a.text:
            print("check_xlsx: --sheet is required for sheet checks", file=sys.stderr)
            return 2

    try:
        wb = openpyxl.load_workbook(a.workbook, data_only=False)
    except Exception as e:  # missing, not a zip, not a workbook, ...
        print(f"check_xlsx: {a.workbook}: cannot open: {e}", file=sys.stderr)
        return 1

    errors = []
    if "sheets" in spec and wb.sheetnames != spec["sheets"]:
        errors.append(f"sheet names are {wb.sheetnames}, expected {spec['sheets']}")
    for s in spec.get("checks", []):
        check_sheet(wb, s, errors)

    if errors:
        for e in errors:
            print(f"check_xlsx: {a.workbook}: {e}", file=sys.stderr)
        return 1
    print(f"check_xlsx: {a.workbook}: OK ({len(spec.get('checks', []))} sheet checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
