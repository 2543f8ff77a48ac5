#!/usr/bin/env python3
"""Benchmark helper, for a database without full-coverage inspection results (a build without
`scorebook inspect auto`): adds N synthetic automatic inspections to PERIOD by cycling over the period's
existing inspections (agents, scores, answers) with new ids and synthetic session ids BENCH-n.
Only for measuring the export; never use it on a real database.

Usage: fill_inspections.py DB PERIOD N
"""
import sqlite3
import sys

db, period, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = sqlite3.connect(db)
base = con.execute("""SELECT agent_id, rubric_id, rubric_version, score, compliance, accuracy, etiquette,
                             critical_failed, answers, created_at FROM inspections WHERE period = ? ORDER BY id""",
                   (period,)).fetchall()
if not base:
    sys.exit(f"fill_inspections: {db} has no inspections in {period} to copy")
rows = ((f"BENCH-{i:08d}", b[0], period, b[1], b[2], "auto", "submitted", b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[9])
        for i, b in ((i, base[i % len(base)]) for i in range(n)))
con.executemany("""INSERT INTO inspections (session_id, agent_id, period, rubric_id, rubric_version, mode, status, score,
                   compliance, accuracy, etiquette, critical_failed, answers, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
con.commit()
print(f"fill_inspections: added {n} automatic inspections to {period}")
