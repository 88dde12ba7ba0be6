#!/usr/bin/env python3
"""compare.py [--numbers=exact|structure] STORED.ipynb FRESH.ipynb: are a notebook's stored outputs current?

Used by notebooks/run.sh after executing a notebook into a temporary folder.
Cell by cell, the sources must be the same and the outputs must agree: text
(streams, text/plain, text/markdown, text/html), images by kind only (a
stored PNG must still be a PNG, but its bytes are not compared: an encoder
or font update changes them without changing what the chart shows). Exit 0
when they agree; otherwise print the first difference and exit 1.

--numbers=exact (the default) compares text byte for byte. The stored
outputs are made with fastblas's AVX-512 kernel; another kernel (AVX2, Go,
gonum) rounds matrix products differently in the last bits, and through
training the printed numbers move. --numbers=structure, which run.sh uses
on such machines, compares the text with every number replaced by "#": the
same cells, lines and words, with numbers anywhere they were; it then
prints how many numbers differ and by how much, for information. This is
what the gallery check (TestDemoGallery) does on other kernels.

Standard library only, so any python3 runs it.
"""
import difflib
import json
import re
import sys

# A number as the notebooks print them: 12, -3.25, 1e-06, +Inf, NaN.
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|Inf|NaN)")


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


def masked(pairs):
    """The outputs with every number replaced by '#'."""
    return [(k, NUMBER.sub("#", v)) for k, v in pairs]


def numbers(pairs):
    return [float(m.group().replace("Inf", "inf")) for _, v in pairs for m in NUMBER.finditer(v)]


def main(stored_path, fresh_path, mode="exact"):
    with open(stored_path, encoding="utf-8") as f:
        stored = json.load(f)
    with open(fresh_path, encoding="utf-8") as f:
        fresh = json.load(f)
    a, b = stored["cells"], fresh["cells"]
    if len(a) != len(b):
        print(f"{stored_path}: {len(a)} cells stored, {len(b)} executed")
        return 1
    moved, worst = 0, 0.0
    for i, (ca, cb) in enumerate(zip(a, b)):
        if text(ca.get("source", "")) != text(cb.get("source", "")):
            print(f"{stored_path}: cell {i + 1}: the source changed while executing")
            return 1
        oa, ob = outputs(ca), outputs(cb)
        if oa == ob:
            continue
        if mode == "structure" and masked(oa) == masked(ob):
            for x, y in zip(numbers(oa), numbers(ob)):
                if x != y:
                    moved += 1
                    if x == x and y == y and abs(x) != float("inf") and abs(y) != float("inf"):
                        worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-300))
            continue
        if mode == "structure":
            oa, ob = masked(oa), masked(ob)
        print(f"{stored_path}: cell {i + 1}: the stored outputs differ from a fresh run:")
        src = text(ca.get("source", "")).splitlines()
        print("  cell begins: " + (src[0] if src else "(empty)"))
        fa = [f"[{k}] {line}" for k, v in oa for line in v.splitlines()]
        fb = [f"[{k}] {line}" for k, v in ob for line in v.splitlines()]
        for line in list(difflib.unified_diff(fa, fb, "stored", "fresh", lineterm="", n=1))[:40]:
            print("  " + line)
        return 1
    if moved:
        print(f"{stored_path}: same structure; {moved} printed numbers differ from the stored ones "
              f"(largest relative difference {worst:.2g}), as expected off the AVX-512 kernel")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    mode = "exact"
    if args and args[0].startswith("--numbers="):
        mode = args.pop(0).split("=", 1)[1]
    if len(args) != 2 or mode not in ("exact", "structure"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[0], args[1], mode))
