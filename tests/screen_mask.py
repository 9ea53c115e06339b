#!/usr/bin/env python3
"""Masks what varies from run to run in a captured ptmon screen (stdin to
stdout), so it can be compared with a golden copy: the numeric columns of
the task tree (PID, TID, PPID, state, %CPU, RSS, TIME+) become one token of
the same width, WCHAN (which varies with the kernel) another, any other
number of three digits or more (a pid in a line of text) becomes ###, and
the elapsed time at the end of the title line (in a field of its own, so
the title does not move) becomes T; the CPU meters
(as many as the host has CPUs) become one token and the count of running
tasks #. Trailing blanks go."""
import re
import sys

lines = [l.rstrip() for l in sys.stdin.read().split("\n")]
while lines and lines[-1] == "":
    lines.pop()

name_col = None
wchan_col = None
out = []
for i, line in enumerate(lines):
    if re.match(r"^\s+PID\s+TID\s", line) and "NAME" in line:
        name_col = line.index("NAME")
        wchan_col = line.index("WCHAN") if "WCHAN" in line else name_col
        out.append(line)
        continue
    cols = line[2:wchan_col] if name_col else ""
    if name_col and re.fullmatch(r"[ 0-9.:KMGTRSDZtIX%-]*\d[ 0-9.:KMGTRSDZtIX%-]*", cols) \
            and len(line) > name_col:
        token = "<pid tid ppid s cpu rss time>"
        # The kernel's wait channel varies with its version: masked too.
        wchan = "<wchan>".ljust(name_col - wchan_col) \
            if wchan_col < name_col else ""
        line = line[:2] + token.rjust(len(cols) - 1) + " " + wchan + \
            line[name_col:]
    elif re.match(r"^ (\d+\[|\d+ CPUs\[)", line) and "Tasks:" in line:
        line = " <cpu meters> " + line[line.index("Tasks:"):]
        line = re.sub(r"\d+ running", "# running", line)
    else:
        line = re.sub(r"\d{3,}", "###", line)
    if i == 0:
        line = re.sub(r"\s+\d+(\.\d+)?s$", "  Ts", line)
    out.append(line)
print("\n".join(out))
