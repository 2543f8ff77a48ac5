#!/usr/bin/env python3
"""Writes the inputs of the grep reference point: every phrase of a rubric's rules (one per line) and the
transcript text of a JSONL file (one turn per line)."""
import json
import sys

import yaml


def phrases(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("phrases", "phrase", "markers", "marker", "a", "b", "first", "then") and isinstance(value, (list, str)):
                for p in ([value] if isinstance(value, str) else value):
                    if isinstance(p, str):
                        out.add(p.strip())
            else:
                phrases(value, out)
    elif isinstance(node, list):
        for value in node:
            phrases(value, out)


def main(rubric_path, jsonl_path, phrases_out, text_out):
    with open(rubric_path, encoding="utf-8") as f:
        rubric = yaml.safe_load(f)
    found = set()
    phrases(rubric, found)
    with open(phrases_out, "w", encoding="utf-8") as f:
        for p in sorted(x for x in found if x):
            f.write(p + "\n")
    with open(jsonl_path, encoding="utf-8") as f, open(text_out, "w", encoding="utf-8") as out:
        for line in f:
            for turn in json.loads(line).get("turns") or []:
                out.write(turn["text"].replace("\n", " ") + "\n")
    print(f"{len(found)} phrases")


if __name__ == "__main__":
    main(*sys.argv[1:5])
