#!/usr/bin/env bash
# CI: export the HR workbook from a fresh demo and check it with readers Scorebook did not write:
# openpyxl always, LibreOffice (soffice --headless --convert-to csv) when it is installed; with LibreOffice also
# a ratings template filled with openpyxl and re-saved by LibreOffice must import.
#
# The demo month gets four extra agents whose names begin with = + - @ (and a rating whose criterion is
# "=1+1"); the month is appraised, finalized and exported. Checks: sheet names in order, the HR Import header
# equals the scheme's hr_columns ids (read from Reports/monthly.yaml), one row per appraised agent, numeric
# cells in the score columns, no formulas and no blank rows on HR Import, the Chinese names and teams, and
# the injected strings read back as exact text.
# Usage: Tests/tools/ci_workbook.sh [SCOREBOOK_BINARY]   (default: swift build, then .build/debug/scorebook)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -ge 1 ]; then SB="$1"; else swift build >/dev/null; SB="$PWD/.build/debug/scorebook"; fi
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
DB="$W/demo/scorebook.db"
PERIOD=2026-10

"$SB" demo --db "$DB" >"$W/demo.log"
grep -q "HR workbook (DRAFT" "$W/demo.log"
test -f "$W/demo/appraisal-$PERIOD-DRAFT.xlsx"

cat >"$W/injected-roster.csv" <<'CSV'
employee_id,name,team,role,supervisor_id,active
X01,=1+1,注入测试组,agent,,1
X02,+SUM(A1),注入测试组,agent,,1
X03,-2+3,注入测试组,agent,,1
X04,@cmd,注入测试组,agent,,1
CSV
cat >"$W/injected-ratings.csv" <<CSV
period,employee_id,source,rater_id,criterion,score
$PERIOD,X01,self,X01,=1+1,4
$PERIOD,X02,customer,@survey,+SUM(A1),5
CSV
"$SB" import roster "$W/injected-roster.csv" --db "$DB" >/dev/null
"$SB" import ratings "$W/injected-ratings.csv" --db "$DB" >/dev/null
"$SB" appraise --period "$PERIOD" --db "$DB" >/dev/null

# Refused before finalizing, written after.
if "$SB" export --period "$PERIOD" --db "$DB" --out "$W/hr.xlsx" 2>/dev/null; then
  echo "ci_workbook: export of an unfinalized period was not refused" >&2; exit 1
fi
"$SB" finalize --period "$PERIOD" --db "$DB" >/dev/null
"$SB" export --period "$PERIOD" --db "$DB" --out "$W/hr.xlsx"
"$SB" appraisals --period "$PERIOD" --db "$DB" --format json >"$W/appraisals.json"

python3 - "$W/appraisals.json" Reports/monthly.yaml "$W/spec.json" <<'PY'
import json, re, sys
appraisals = json.load(open(sys.argv[1], encoding="utf-8"))
ids, inside = [], False
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("hr_columns:"):
        inside = True; continue
    if inside:
        m = re.match(r"\s*-\s*(?:\{\s*id:\s*([A-Za-z0-9_]+)|([A-Za-z0-9_]+)\s*$)", line)
        if m: ids.append(m.group(1) or m.group(2))
        elif line.strip() and not line.lstrip().startswith("#"): break
numeric = [c for c in ids if c not in ("employee_id", "name", "team", "period", "grade", "missing")]
names = [a["name"] for a in appraisals]
teams = sorted({a["team"] for a in appraisals})
injected = ["=1+1", "+SUM(A1)", "-2+3", "@cmd"]
assert all(t in names for t in injected), names
spec = {
  "sheets": ["HR Import", "Team Summary", "Components", "Inspections", "Item Failures", "Ratings", "About"],
  "checks": [
    {"sheet": "HR Import", "header": ids, "rows": len(appraisals), "numeric_columns": numeric,
     "no_formulas": True, "no_blank_rows": True, "texts": names + teams + injected + ["2026-10"]},
    {"sheet": "Ratings", "no_formulas": True, "texts": ["=1+1", "+SUM(A1)", "@survey", "服务态度"]},
    {"sheet": "Team Summary", "no_formulas": True, "texts": teams},
    {"sheet": "About", "texts": ["finalized 已定稿", "monthly"]},
  ]}
json.dump(spec, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(f"ci_workbook: expecting {len(appraisals)} agents, columns {','.join(ids)}")
PY
python3 Tests/tools/check_xlsx.py "$W/hr.xlsx" --spec "$W/spec.json"
# openpyxl must also see real numbers where the appraisal has them (not just "not text").
python3 - "$W/hr.xlsx" "$W/appraisals.json" <<'PY'
import json, sys, openpyxl
from decimal import Decimal, ROUND_HALF_UP
ws = openpyxl.load_workbook(sys.argv[1])["HR Import"]
rows = list(ws.iter_rows(values_only=True))
header, data = rows[0], rows[1:]
for row, a in zip(data, json.load(open(sys.argv[2], encoding="utf-8"))):
    got = dict(zip(header, row))
    assert got["employee_id"] == a["employee_id"] and got["name"] == a["name"], (got, a)
    assert got["final_score"] == a["final_score"], (got["final_score"], a["final_score"])
    for k, v in a["components"].items():
        want = None if v is None else float(Decimal(repr(v)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        assert got[k] == want, (a["employee_id"], k, got[k], want)
print(f"ci_workbook: HR Import values equal the appraisals ({len(data)} rows)")
PY

if command -v soffice >/dev/null; then
  mkdir -p "$W/csv"
  (cd "$W/csv" && soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' "$W/hr.xlsx" >/dev/null 2>&1)
  f="$(ls "$W"/csv/*HR*Import*.csv 2>/dev/null | head -n 1 || true)"
  [ -n "$f" ] || f="$(ls "$W"/csv/*.csv | head -n 1)"
  python3 - "$f" "$W/appraisals.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
names = [r[1] for r in rows[1:]]
want = [a["name"] for a in json.load(open(sys.argv[2], encoding="utf-8"))]
assert rows[0][0] == "employee_id" and names == want, (rows[0], names[:5], want[:5])
print(f"ci_workbook: LibreOffice reads HR Import: {len(names)} rows, names exact")
PY
  # A ratings template filled by openpyxl and re-saved by LibreOffice still imports.
  "$SB" template ratings --period 2026-11 --team 视频客服一组 --db "$DB" --out "$W/ratings.xlsx" >/dev/null
  FILLED=$(python3 - "$W/ratings.xlsx" "$W/ratings-filled.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["评分"]
n = 0
for row in ws.iter_rows(min_row=2):
    if row[3].value == "self": row[6].value = 4; n += 1
wb.save(sys.argv[2])
print(n)
PY
)
  mkdir -p "$W/lo"
  (cd "$W/lo" && soffice --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' "$W/ratings-filled.xlsx" >/dev/null 2>&1)
  "$SB" import ratings "$W/lo/ratings-filled.xlsx" --db "$DB" | tee "$W/import.log"
  grep -q "imported $FILLED records" "$W/import.log"
else
  echo "ci_workbook: LibreOffice (soffice) not installed: skipped its checks"
fi
echo "ci_workbook: OK"
