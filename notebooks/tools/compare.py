#!/usr/bin/env python3
"""compare.py STORED.ipynb FRESH.ipynb: are a notebook's stored outputs current?

Used by notebooks/run.sh after executing a notebook into a temporary folder.
Cell by cell, the sources must be the same and the outputs must agree: text
(streams, text/plain, text/markdown, text/html) exactly, images by kind only
(a stored PNG must still be a PNG, but its bytes are not compared: an encoder
or font update changes them without changing what the chart shows). Exit 0
when they agree; otherwise print the first difference and exit 1.

Standard library only, so any python3 runs it.
"""
import difflib
import json
import sys


def text(v):
    return "".join(v) if isinstance(v, list) else v


def outputs(cell):
    """A cell's outputs as comparable (kind, detail) pairs."""
    got = []
    for o in cell.get("outputs", []):
        t = o.get("output_type")
        if t == "stream":
            got.append(("stream " + o.get("name", ""), text(o.get("text", ""))))
        elif t in ("display_data", "execute_result"):
            for mime, v in sorted(o.get("data", {}).items()):
                if mime.startswith("text/"):
                    got.append((mime, text(v)))
                else:
                    got.append((mime, "(not compared)"))
        elif t == "error":
            got.append(("error", o.get("ename", "") + ": " + o.get("evalue", "")))
        else:
            got.append((t, json.dumps(o, sort_keys=True)))
    return got


def main(stored_path, fresh_path):
    with open(stored_path, encoding="utf-8") as f:
        stored = json.load(f)
    with open(fresh_path, encoding="utf-8") as f:
        fresh = json.load(f)
    a, b = stored["cells"], fresh["cells"]
    if len(a) != len(b):
        print(f"{stored_path}: {len(a)} cells stored, {len(b)} executed")
        return 1
    for i, (ca, cb) in enumerate(zip(a, b)):
        if text(ca.get("source", "")) != text(cb.get("source", "")):
            print(f"{stored_path}: cell {i + 1}: the source changed while executing")
            return 1
        oa, ob = outputs(ca), outputs(cb)
        if oa == ob:
            continue
        print(f"{stored_path}: cell {i + 1}: the stored outputs differ from a fresh run:")
        src = text(ca.get("source", "")).splitlines()
        print("  cell begins: " + (src[0] if src else "(empty)"))
        fa = [f"[{k}] {line}" for k, v in oa for line in v.splitlines()]
        fb = [f"[{k}] {line}" for k, v in ob for line in v.splitlines()]
        for line in list(difflib.unified_diff(fa, fb, "stored", "fresh", lineterm="", n=1))[:40]:
            print("  " + line)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
