#!/usr/bin/env python3
"""Reference point for the JSONL import: a plain Python json + sqlite3 loader of the same file.

It does what a team would write by hand: parse each line with json, insert the metadata into a sessions
table and the turns (re-serialized as JSON text) into a transcripts table, in one transaction.
"""
import json
import sqlite3
import sys


def main(jsonl_path: str, db_path: str) -> None:
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("""CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, agent_id TEXT, channel TEXT,
        started_at TEXT, ended_at TEXT, period TEXT, wait_seconds REAL, first_response_seconds REAL,
        handle_seconds REAL, resolved INTEGER, transferred INTEGER, csat INTEGER)""")
    db.execute("CREATE TABLE IF NOT EXISTS transcripts (session_id TEXT PRIMARY KEY, turn_count INTEGER, data TEXT)")
    fields = ["session_id", "agent_id", "channel", "started_at", "ended_at", "wait_seconds",
              "first_response_seconds", "handle_seconds", "resolved", "transferred", "csat"]
    sessions, transcripts = [], []
    count = 0
    with open(jsonl_path, encoding="utf-8") as f, db:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            row = [o.get(k) for k in fields]
            row.insert(5, o["started_at"][:7])
            sessions.append(row)
            turns = o.get("turns")
            if turns is not None:
                transcripts.append((o["session_id"], len(turns), json.dumps(turns, ensure_ascii=False)))
            count += 1
            if len(sessions) >= 10000:
                db.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", sessions)
                db.executemany("INSERT INTO transcripts VALUES (?,?,?)", transcripts)
                sessions, transcripts = [], []
        db.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", sessions)
        db.executemany("INSERT INTO transcripts VALUES (?,?,?)", transcripts)
    print(f"python loader: {count} sessions")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
