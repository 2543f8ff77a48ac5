#!/usr/bin/env bash
# Scorebook performance harness. Generates a synthetic period, then measures each phase of Scorebook side
# by side with the reference tools a user would otherwise reach for, on the same data, in the same run:
#   CSV metadata import      vs  sqlite3 .import of the same CSV
#   JSONL import (turns)     vs  a plain Python json + sqlite3 loader (python_loader.py)
#   full-coverage inspection vs  grep -F -c -f <every rule phrase> over the same transcript text, and
#                                 sqlite3 writing the same result rows (the floor of storing them)
#   sampling
#   Inspections sheet export vs  Python XlsxWriter (constant_memory) writing the same rows
# For each: wall time, sessions/s, MB/s of input, peak memory (max RSS from /usr/bin/time), and CPU time
# (user + sys): on a machine whose speed varies between runs, CPU per session is the steadier figure for
# comparing two builds of scorebook.
#
# The export is `scorebook export --draft` of the whole HR workbook (all sheets; Inspections holds one row per
# inspection, in constant-memory mode above 20,000) against python_xlsxwriter.py writing only the
# Inspections sheet from the same database; the "sessions/s" column of those two rows is inspection rows/s.
#
# Usage: Benchmarks/run.sh [--sessions N] [--work DIR] [--keep] [--export-only N]
#   --export-only N: skip the pipeline; measure only the export on the demo month plus N synthetic automatic
#   inspections (fill_inspections.py) — for builds without `scorebook inspect auto`, or a quick check.
#   default N = 1,000,000 (≈20 turns each: several GB of JSONL; needs ~15 GB of disk); try --sessions 50000 first.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=1000000
WORK=bench-data
KEEP=0
EXPORT_ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) SESSIONS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --export-only) EXPORT_ONLY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

swift build -c release --product scorebook >/dev/null
SB="$PWD/.build/release/scorebook"
RUBRIC=Rubrics/video-service.yaml
PERIOD=2026-10
rm -rf "$WORK"; mkdir -p "$WORK"
REPORT="$WORK/report.md"

python3 -c "import xlsxwriter" 2>/dev/null || python3 -m pip install --quiet XlsxWriter 2>/dev/null \
  || python3 -m pip install --quiet --break-system-packages XlsxWriter

mb() { python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1e6:.1f}')" "$1"; }

# measure LABEL SESSIONS INPUT_BYTES_FILE -- command...
measure() {
  local label="$1" n="$2" input="$3"; shift 4
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || {
    echo "FAILED: $label"; cat "$WORK/err.txt"; exit 1; }
  read -r secs kb user sys < <(tail -n 1 "$WORK/time.txt")
  python3 - "$label" "$n" "$secs" "$kb" "$input" "$user" "$sys" >>"$REPORT" <<'PY'
import os, sys
label, n, secs, kb, path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
cpu = float(sys.argv[6]) + float(sys.argv[7])
mbs = os.path.getsize(path) / 1e6 / secs if path != "-" and secs > 0 else 0
rate = n / secs if secs > 0 else 0
print(f"| {label} | {secs:.2f} s | {rate:,.0f} | {mbs:,.1f} | {kb/1024:,.0f} MB | {cpu:.2f} s |")
PY
  tail -n 1 "$REPORT"
}

# measure_export DB LABEL_SUFFIX: the HR workbook vs Python XlsxWriter on the Inspections rows of DB.
measure_export() {
  local db="$1" rows
  rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM inspections WHERE period = '$PERIOD'")
  "$SB" appraise --period "$PERIOD" --db "$db" >/dev/null
  measure "scorebook export --draft ($rows inspection rows, whole workbook)" "$rows" "-" -- "$SB" export --period "$PERIOD" --draft --db "$db" --out "$WORK/export.xlsx"
  measure "reference: Python XlsxWriter constant_memory (Inspections sheet only)" "$rows" "-" -- python3 Benchmarks/python_xlsxwriter.py "$db" "$PERIOD" "$WORK/export-python.xlsx"
}

if [ -n "$EXPORT_ONLY" ]; then
  "$SB" demo --db "$WORK/demo/scorebook.db" >/dev/null
  python3 Benchmarks/fill_inspections.py "$WORK/demo/scorebook.db" "$PERIOD" "$EXPORT_ONLY" >/dev/null
  {
    echo "# Scorebook export benchmark — demo month + $EXPORT_ONLY synthetic inspections, $(nproc) cores, $(date -u +%Y-%m-%d)"
    echo
    echo "| phase | wall | rows/s | MB/s | peak memory | CPU (user + sys) |"
    echo "|---|---|---|---|---|---|"
  } >"$REPORT"
  measure_export "$WORK/demo/scorebook.db"
  echo; cat "$REPORT"
  [ "$KEEP" = 1 ] || rm -rf "$WORK/demo" "$WORK"/*.xlsx
  exit 0
fi

echo "generating $SESSIONS sessions…"
"$SB" generate --sessions "$SESSIONS" --period "$PERIOD" --out "$WORK" >/dev/null
python3 Benchmarks/extract_reference_inputs.py "$RUBRIC" "$WORK/sessions.jsonl" "$WORK/phrases.txt" "$WORK/transcripts.txt" >/dev/null

{
  echo "# Scorebook benchmark — $SESSIONS sessions, $(nproc) cores, $(date -u +%Y-%m-%d)"
  echo
  echo "sessions.csv $(mb "$WORK/sessions.csv") MB, sessions.jsonl $(mb "$WORK/sessions.jsonl") MB, transcript text $(mb "$WORK/transcripts.txt") MB, $(wc -l <"$WORK/phrases.txt") rule phrases"
  echo
  echo "| phase | wall | sessions/s | MB/s | peak memory | CPU (user + sys) |"
  echo "|---|---|---|---|---|---|"
} >"$REPORT"

# CSV metadata import
"$SB" init --db "$WORK/csv.db" >/dev/null && "$SB" import roster "$WORK/roster.csv" --db "$WORK/csv.db" >/dev/null
measure "scorebook import sessions (CSV)" "$SESSIONS" "$WORK/sessions.csv" -- "$SB" import sessions "$WORK/sessions.csv" --db "$WORK/csv.db"
sqlite3 "$WORK/ref.db" "CREATE TABLE sessions (session_id TEXT PRIMARY KEY, agent_id TEXT, channel TEXT, started_at TEXT, ended_at TEXT, wait_seconds REAL, first_response_seconds REAL, handle_seconds REAL, resolved INTEGER, transferred INTEGER, csat INTEGER);"
measure "reference: sqlite3 .import (CSV)" "$SESSIONS" "$WORK/sessions.csv" -- sqlite3 "$WORK/ref.db" ".import --csv --skip 1 $WORK/sessions.csv sessions"

# JSONL import with transcripts
"$SB" init --db "$WORK/bench.db" >/dev/null && "$SB" import roster "$WORK/roster.csv" --db "$WORK/bench.db" >/dev/null
measure "scorebook import sessions (JSONL + turns)" "$SESSIONS" "$WORK/sessions.jsonl" -- "$SB" import sessions "$WORK/sessions.jsonl" --db "$WORK/bench.db"
measure "reference: Python json + sqlite3 loader" "$SESSIONS" "$WORK/sessions.jsonl" -- python3 Benchmarks/python_loader.py "$WORK/sessions.jsonl" "$WORK/py.db"

# Full-coverage automatic inspection (read, match every rule, write results)
measure "scorebook inspect auto (full coverage)" "$SESSIONS" "$WORK/transcripts.txt" -- "$SB" inspect auto --period "$PERIOD" --rubric video-service --db "$WORK/bench.db"
measure "reference: grep -F -c -f phrases (match only)" "$SESSIONS" "$WORK/transcripts.txt" -- grep -F -c -f "$WORK/phrases.txt" "$WORK/transcripts.txt"
# The write floor: SQLite alone writing the same result rows (the run's own inspections and findings, copied
# by one INSERT … SELECT into empty tables with the same indexes, WAL, synchronous=NORMAL, no foreign-key
# checks) — what storing one automatic inspection per session costs before any reading or matching.
sqlite3 "$WORK/bench.db" ".schema inspections" ".schema findings" | grep -v '^CREATE TABLE sqlite_' >"$WORK/floor.sql"
sqlite3 "$WORK/floor.db" ".read $WORK/floor.sql" "PRAGMA journal_mode = WAL" >/dev/null
measure "reference: sqlite3 writing the same results (INSERT … SELECT)" "$SESSIONS" "-" -- sqlite3 "$WORK/floor.db" \
  "PRAGMA synchronous = NORMAL" "PRAGMA cache_size = -65536" "ATTACH '$WORK/bench.db' AS run" \
  "BEGIN" "INSERT INTO main.inspections SELECT * FROM run.inspections WHERE mode = 'auto'" \
  "INSERT INTO main.findings SELECT * FROM run.findings" "COMMIT"

# Sampling
INSPECTORS=$(awk -F, '$4=="inspector"{printf "%s%s", sep, $1; sep=","}' "$WORK/roster.csv")
measure "scorebook sample (10 per agent)" "$SESSIONS" "-" -- "$SB" sample --period "$PERIOD" --rubric video-service --per-agent 10 --seed 7 --inspectors "$INSPECTORS" --db "$WORK/bench.db"

# HR workbook export (the Inspections sheet holds one row per inspection of the period)
measure_export "$WORK/bench.db"

echo
cat "$REPORT"
[ "$KEEP" = 1 ] || rm -f "$WORK"/*.db "$WORK"/*.db-* "$WORK/sessions.jsonl" "$WORK/transcripts.txt"
