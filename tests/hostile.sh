#!/bin/sh
# Text from other processes never reaches the terminal raw: a process whose
# names, threads' names, command line and output are escape sequences (OSC
# title, OSC 52, clear screen, BEL, C1 0x9b, invalid UTF-8, U+202E; see
# tests/hostile.c) shows inert in the UI, in JSON and in plain batch output
# to a terminal; plain batch output to a file is the program's own bytes.
. "$(dirname "$0")/lib.sh"
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

hostile=${BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/helpers/hostile
dir=$(mktemp -d)
trap 'tui_cleanup; rm -rf "$dir"' EXIT

plan 11

# $dir/inert FILE...: every byte is printable valid UTF-8 (newlines and
# tabs aside): no ESC, BEL or other C0 control, no DEL, no C1 control raw
# (0x9b) or encoded (C2 9B), no bidirectional control such as U+202E.
cat >"$dir/inert" <<'PY'
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

# $dir/decoded FILE [want]: every string of a JSON Lines file, once decoded,
# is inert; with `want`, the hostile names, command line and output are
# there in their escaped form.
cat >"$dir/decoded" <<'PY'
import json, sys
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from strings(k)
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
def bad(c):
    return c < 0x20 or 0x7f <= c <= 0x9f or 0x200e <= c <= 0x200f or \
        0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069 or \
        c in (0x061c, 0xfeff)
names, cmds, texts = set(), set(), set()
ok = True
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    ev = json.loads(line)
    for s in strings(ev):
        raw = [ord(ch) for ch in s if bad(ord(ch))]
        if raw:
            print("# line %d (%s): raw U+%04X in %r" % (n, ev.get("type"),
                  raw[0], s[:60]))
            ok = False
    if ev.get("type") == "output":
        texts.add(ev["text"])
    for t in ev.get("tasks", []):
        names.add(t["name"])
        cmds.add(t.get("cmdline", ""))
    if not ok:
        sys.exit(1)
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
if sys.argv[2:] == ["want"]:
    for what, (pool, needle) in want.items():
        if not any(needle in s for s in pool):
            print("# no %s containing %r in %r" % (what, needle,
                  sorted(pool)[:8]))
            ok = False
sys.exit(0 if ok else 1)
PY

# $dir/aligned SCREEN: in the tree, every row's command line starts in the
# AT column, as the header's (columns counted in characters).
cat >"$dir/aligned" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = [r for r in rows if " NAME " in r and r.rstrip().endswith(" AT")]
if not head:
    print("# no header row")
    sys.exit(1)
col = head[0].rstrip().rindex("AT")
cols = {r.find("\\e]0;ARGV-TITLE") for r in rows if "\\e]0;ARGV-TITLE" in r}
if cols != {col}:
    print("# AT column at %d, command lines at %r" % (col, sorted(cols)))
    sys.exit(1)
PY

# inert FILE...: see $dir/inert.
inert() {
	python3 "$dir/inert" "$@"
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
# has_raw FILE PRINTF-FORMAT...: the file holds each string as printf
# makes it (raw bytes).
has_raw() {
	f=$1
	shift
	for fmt in "$@"; do
		# shellcheck disable=SC2059
		want=$(printf "$fmt")
		grep -qF -- "$want" "$f" && continue
		diag "$f lacks the bytes of: $fmt"
		return 1
	done
}
# To a file or a pipe, plain batch output is the program's, byte for byte
# (as cat passes it); only a terminal gets it sanitised (below).
check "batch to a file: output bytes exact, as cat would pass them" \
	has_raw "$dir/out" 'out-title:\033]0;OUT-TITLE\007:end' \
	'out-clear:\033[2J\033[H:end' 'out-bell:\007:end'
check "batch to a file: stderr bytes exact" has_raw "$dir/err" \
	'err-title:\033]0;ERR-TITLE\007:end'

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
	python3 "$dir/decoded" "$dir/json" want

# The same command run by a scenario: the subprocess scenario's output
# passes the command's bytes on, like the Python it mirrors.
"$PTMON" --batch subprocess "cmd=$hostile 0.2" timeout=10 \
	>"$dir/sub" 2>"$dir/suberr"
check "subprocess scenario to a file: the command's output exact" \
	has_raw "$dir/sub" 'out-clear:\033[2J\033[H:end'

# A command line far longer than any buffer: capped, inert, valid JSON,
# and so is ptmon's own echo of the command it runs (the start event).
long=$(python3 -c 'print("\x1b]0;LONG\x07\u202e\u009b" * 8000)')
"$PTMON" --batch --json -d 1 -- sh -c 'sleep 0.3' "$long" >"$dir/long" \
	2>&1
check "a 100 KB hostile argv: inert, valid JSON, inert once decoded" \
	sh -c 'python3 "$0" "$2" && python3 "$1" "$2"' \
	"$dir/inert" "$dir/decoded" "$dir/long"

# tui_hostile: the UI shows the names inert in the tree, its columns line
# up, and neither the pane's title nor tmux's clipboard changed.
tui_hostile() {
	# 132 columns: WCHAN, and NAME wide enough for a whole hostile name.
	tui_start 132 30 || return 1
	tui_tmux set-option -g set-clipboard on >/dev/null
	title=$(tui_tmux display-message -p -t "$TUI_TARGET" '#{pane_title}')
	tui_run "$PTMON -d 2 subprocess 'cmd=$hostile 30' timeout=60"
	# The last thread's name ends in txt, in braces: {…txt}.
	tui_wait 'txt[}] +\\e\]0;ARGV-TITLE' 5 || return 1
	tui_wait 'out-rlo:\\u202egnp.exe:end' 5 || return 1
	tui_screen >"$dir/screen"
	tui_keys q
	ok=0
	inert "$dir/screen" || ok=1
	has "$dir/screen" ']0;PWNED' ']52;c;SGk=' '[2J' '1mC1' 'txt' \
	    'out-title:\e]0;OUT-TITLE\x07:end' 'out-bell:\x07:end' \
	    'out-c1:\x9b2J:\u009b2J:end' 'out-rlo:\u202egnp.exe:end' \
	    'err-title:\e]0;ERR-TITLE\x07:end' || ok=1
	if ! python3 "$dir/aligned" "$dir/screen"; then
		sed 's/^/#   | /' "$dir/screen"
		ok=1
	fi
	now=$(tui_tmux display-message -p -t "$TUI_TARGET" '#{pane_title}')
	if [ "$now" != "$title" ]; then
		diag "pane title changed from '$title' to '$now'"
		ok=1
	fi
	if [ -n "$(tui_tmux list-buffers 2>/dev/null)" ]; then
		diag "an OSC 52 reached tmux's clipboard:"
		tui_tmux list-buffers | sed 's/^/#   /'
		ok=1
	fi
	tui_status_is 0 || ok=1
	return $ok
}

# tui_batch_inert: plain batch output to a terminal shows sanitised, and
# the pane's title stays.
tui_batch_inert() {
	tui_run "clear; $PTMON --batch -- $hostile 0.3; echo batch-done"
	tui_wait '^batch-done' 10 || return 1
	tui_screen >"$dir/bscreen"
	ok=0
	inert "$dir/bscreen" || ok=1
	has "$dir/bscreen" 'out-title:\e]0;OUT-TITLE\x07:end' \
	    'out-clear:\e[2J\e[H:end' 'err-title:\e]0;ERR-TITLE\x07:end' ||
	    ok=1
	now=$(tui_tmux display-message -p -t "$TUI_TARGET" '#{pane_title}')
	if [ "$now" != "$title" ]; then
		diag "pane title changed from '$title' to '$now'"
		ok=1
	fi
	return $ok
}

if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	test_count=$((test_count + 2))
	echo "ok $((test_count - 1)) # SKIP tmux not installed"
	echo "ok $test_count # SKIP tmux not installed"
else
	check "UI: names inert in the tree, columns aligned, title and clipboard untouched" \
	    tui_hostile
	check "batch to a terminal: output and stderr show escaped" \
	    tui_batch_inert
fi
finish
