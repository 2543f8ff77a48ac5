#!/usr/bin/env python3
"""Reference for the Inspections sheet export: Python XlsxWriter (constant_memory) writing the same rows,
read from the same SQLite database with the same query, columns, number formats and layout as the
`Inspections` sheet of `scorebook export` (header, frozen row, autofilter, widths; 0.00 scores; booleans).
Continues in "Inspections (2)", ... past Excel's 1,048,576 rows, as Scorebook does.

Usage: python_xlsxwriter.py DB PERIOD OUT.xlsx      (pip install XlsxWriter)
"""
import sqlite3
import sys

import xlsxwriter

HEADERS = ["id", "session_id", "agent_id", "inspector_id", "mode", "rubric_id", "rubric_version", "status",
           "score", "compliance", "accuracy", "etiquette", "critical_failed"]
PER_SHEET = 1_048_575


def main(db, period, out):
    con = sqlite3.connect(db)
    cond, arg = ("period LIKE ?", period + "-%") if len(period) == 4 else ("period = ?", period)
    total = con.execute(f"SELECT COUNT(*) FROM inspections WHERE {cond}", (arg,)).fetchone()[0]
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    header = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
    two = wb.add_format({"num_format": "0.00"})
    zero = wb.add_format({"num_format": "0"})
    sheets = []
    for i in range(max(1, -(-total // PER_SHEET))):
        ws = wb.add_worksheet("Inspections" if i == 0 else f"Inspections ({i + 1})")
        for c, h in enumerate(HEADERS):
            ws.write_string(0, c, h, header)
        ws.set_column(0, 0, 10); ws.set_column(1, 1, 22); ws.set_column(2, 7, 13); ws.set_column(8, 12, 12)
        ws.freeze_panes(1, 0)
        sheets.append(ws)
    n = 0
    for row in con.execute(f"""SELECT id, session_id, agent_id, inspector_id, mode, rubric_id, rubric_version, status,
                                      score, compliance, accuracy, etiquette, critical_failed
                               FROM inspections WHERE {cond} ORDER BY id""", (arg,)):
        ws = sheets[n // PER_SHEET]
        r = n % PER_SHEET + 1
        ws.write_number(r, 0, row[0], zero)
        ws.write_string(r, 1, row[1])
        ws.write_string(r, 2, row[2])
        if row[3] is not None:
            ws.write_string(r, 3, row[3])
        ws.write_string(r, 4, row[4])
        ws.write_string(r, 5, row[5])
        ws.write_number(r, 6, row[6], zero)
        ws.write_string(r, 7, row[7])
        for c in range(8, 12):
            if row[c] is not None:
                ws.write_number(r, c, row[c], two)
        ws.write_boolean(r, 12, bool(row[12]))
        n += 1
    for i, ws in enumerate(sheets):
        ws.autofilter(0, 0, max(1, min(PER_SHEET, n - i * PER_SHEET)), len(HEADERS) - 1)
    wb.close()
    print(f"wrote {n} inspection rows to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
