#!/bin/sh
# Text from other processes never reaches the terminal raw: a process whose
# names, threads' names, command line and output are escape sequences (OSC
# title, OSC 52, clear screen, BEL, C1 0x9b, invalid UTF-8, U+202E; see
# tests/hostile.c) shows inert in plain batch output, in JSON and in the UI.
. "$(dirname "$0")/lib.sh"

hostile=${BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/helpers/hostile
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

plan 12

# inert FILE...: every byte is printable valid UTF-8 (newlines and tabs
# aside): no ESC, BEL or other C0 control, no DEL, no C1 control raw (0x9b)
# or encoded (C2 9B), no bidirectional control such as U+202E.
inert() {
	python3 - "$@" <<'PY'
import sys
bad = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print("# %s: invalid UTF-8 at byte %d: %r" % (path, e.start,
              data[max(0, e.start - 20):e.start + 20]))
        bad += 1
        continue
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch not in "\n\t") or 0x7f <= c <= 0x9f or \
                0x200e <= c <= 0x200f or 0x202a <= c <= 0x202e or \
                0x2066 <= c <= 0x2069 or c in (0x061c, 0xfeff):
            print("# %s: raw U+%04X at character %d: %r" % (path, c, i,
                  text[max(0, i - 20):i + 20]))
            bad += 1
            break
sys.exit(1 if bad else 0)
PY
}

# has FILE TEXT...: the file holds each TEXT (fixed strings).
has() {
	f=$1
	shift
	for want in "$@"; do
		grep -qF -- "$want" "$f" && continue
		diag "$f lacks: $want"
		return 1
	done
}

if [ ! -x "$hostile" ]; then
	echo "Bail out! $hostile not built"
	exit 1
fi

"$PTMON" --batch -- "$hostile" 0.3 >"$dir/out" 2>"$dir/err"
check "batch: the hostile command ends with status 0" [ $? -eq 0 ]
check "batch: stdout and stderr carry no raw control or bidi character" \
	inert "$dir/out" "$dir/err"
check "batch: output lines show escaped" has "$dir/out" \
	'out-title:\e]0;OUT-TITLE\x07:end' \
	'out-osc52:\e]52;c;T1VU\x07:end' \
	'out-clear:\e[2J\e[H:end' \
	'out-bell:\x07:end' \
	'out-c1:\x9b2J:\u009b2J:end' \
	'out-bad-utf8:\xff\xfe\xc0\x80:end' \
	'out-rlo:\u202egnp.exe:end'
check "batch: stderr shows escaped" has "$dir/err" \
	'err-title:\e]0;ERR-TITLE\x07:end'

"$PTMON" --batch --json -d 1 -- "$hostile" 0.5 >"$dir/json" 2>"$dir/jerr"
check "json: ends with status 0" [ $? -eq 0 ]
check "json: stdout and stderr carry no raw control or bidi character" \
	inert "$dir/json" "$dir/jerr"
check "json: every line is valid JSON" python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        json.loads(line)
    except ValueError as e:
        print("# line %d: %s" % (n, e))
        sys.exit(1)
' "$dir/json"
# Decoded, no string may hold a control either: JSON escaping (\u001b)
# alone would still let `jq -r` print the raw sequence.
check "json: names, command lines and output show inert once decoded" \
	python3 -c '
import json, sys
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
names, cmds, texts = set(), set(), set()
for line in open(sys.argv[1], encoding="utf-8"):
    ev = json.loads(line)
    for s in strings(ev):
        for ch in s:
            c = ord(ch)
            if c < 0x20 or 0x7f <= c <= 0x9f or 0x202a <= c <= 0x202e:
                print("# raw U+%04X in %r" % (c, s))
                sys.exit(1)
    if ev["type"] == "output":
        texts.add(ev["text"])
    for t in ev.get("tasks", []):
        names.add(t["name"])
        cmds.add(t.get("cmdline", ""))
want = {
    "process name (OSC title)": (names, "]0;PWNED"),
    "thread name (OSC 52)": (names, "]52;c;SGk="),
    "thread name (clear screen)": (names, "[2J"),
    "thread name (C1)": (names, "1m"),
    "thread name (bad UTF-8, U+202E)": (names, "txt"),
    "command line (OSC title)": (cmds, "\\e]0;ARGV-TITLE\\x07"),
    "command line (OSC 52)": (cmds, "\\e]52;c;QVJHVg==\\x07"),
    "command line (C1)": (cmds, "c1-\\x9b2J-\\u009b2J"),
    "command line (U+202E)": (cmds, "\\u202eexe.txt"),
    "output (OSC title)": (texts, "out-title:\\e]0;OUT-TITLE\\x07:end"),
    "output (U+202E)": (texts, "out-rlo:\\u202egnp.exe:end"),
}
ok = True
for what, (pool, needle) in want.items():
    if not any(needle in s for s in pool):
        print("# no %s containing %r in %r" % (what, needle,
              sorted(pool)[:8]))
        ok = False
sys.exit(0 if ok else 1)
' "$dir/json"

# The same command run by a scenario: the subprocess scenario's output pane.
"$PTMON" --batch subprocess "cmd=$hostile 0.2" timeout=10 \
	>"$dir/sub" 2>"$dir/suberr"
check "subprocess scenario: the hostile command's output shows inert" \
	sh -c 'inert() { python3 -c "$1" "$2" "$3"; }; true' &&
	check_sub() { inert "$dir/sub" "$dir/suberr" &&
	    has "$dir/sub" 'out-clear:\e[2J\e[H:end'; }
check "subprocess scenario: output inert and escaped" check_sub

# A name too long for the kernel and argv far longer than any buffer: the
# sampler caps them and the stream stays valid.
long=$(python3 -c 'print("\x1b[2J" * 20000)')
"$PTMON" --batch --json -d 1 -- sh -c 'sleep 0.3' "$long" >"$dir/long" \
	2>&1
check "a 80 KB hostile argv: inert, valid JSON" sh -c '
	python3 -c "
import json, sys
for line in open(sys.argv[1], encoding=\"utf-8\"):
    json.loads(line)
" "$0"' "$dir/long"
