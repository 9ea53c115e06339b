#!/bin/sh
# The Chinese UI in a real terminal (tmux) at 80x24 and 160x45: with
# LANGUAGE=zh_CN (under C.UTF-8, which needs no generated locale) the key
# bar and the help are Chinese, every screen line fits the terminal in
# cells (wide characters count two), and the tree's PID and NAME columns
# line up with the header. With zh_CN.UTF-8 generated (scripts/setup
# --tests), LANG=zh_CN.UTF-8 alone gives the Chinese picker, as a user
# would set it. The catalogue is the source tree's po/zh_CN.po, compiled
# here into a directory PTMON_LOCALEDIR names (it is not installed).
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"

tui_require
command -v msgfmt >/dev/null 2>&1 || { echo "1..0 # SKIP msgfmt not found"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not found"; exit 0; }
plan 12
loc=$(mktemp -d) || exit 1
trap 'rm -rf "$loc"; tui_cleanup' EXIT
zh_catalogue "$loc" || exit 1

# Checks the screen: each line at most COLS cells, and the tree rows'
# PID ends and NAME starts (in cells) where the header's do.
cells_ok() {
	tui_screen >"$loc/screen"
	python3 - "$1" "$loc/screen" <<'PY' || return 1
import re, sys, unicodedata
cols = int(sys.argv[1])
def cells(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
bad = [l for l in lines if cells(l) > cols]
for l in bad:
    print("#   too wide (%d cells): %s" % (cells(l), l))
# The header's words are Chinese: NAME is 名称, AT is 位置.
head = [i for i, l in enumerate(lines) if " PID " in l and "名称" in l and
        "位置" in l]
if not head:
    print("#   no tree header with 名称 and 位置"); sys.exit(1)
h = lines[head[0]]
pid_end = cells(h[:h.index("PID") + 3]); name_at = cells(h[:h.index("名称")])
# Tree rows: a pause mark maybe, then PID and TID.
rows = [l for l in lines[head[0] + 1:]
        if re.match(r"^(\|\||>\|)? *[0-9]+ +[0-9]+ ", l)]
if not rows:
    print("#   no tree rows"); sys.exit(1)
for l in rows:
    pid = re.search(r"[0-9]+", l).group(0)
    at = cells(l[:l.index(pid) + len(pid)])
    n = l.find("MainThread") if "MainThread" in l else l.find("─") - 1
    if at != pid_end or cells(l[:n]) != name_at:
        print("#   misaligned (PID ends %d, NAME %d; header %d, %d): %s"
              % (at, cells(l[:n]), pid_end, name_at, l)); bad.append(l)
sys.exit(1 if bad else 0)
PY
}

# The lab's Chinese headings sit over their columns: the right edges of
# n, 迭代 (iteration) and 局部 (local) over Thread-1's values, 停在 (stands
# at) where its words start.
lab_ok() {
	tui_screen >"$loc/screen"
	python3 - "$loc/screen" <<'PY' || return 1
import re, sys, unicodedata
def cells(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = [l for l in lines if "迭代" in l and "停在" in l]
row = [l for l in lines if re.match(r"^1. Thread-1 ", l)]
if not head or not row:
    print("#   no lab heading or no Thread-1 row"); sys.exit(1)
h, r = head[0], row[0]
m = re.match(r"^(1. Thread-1 +)(\S+)( +)(\S+)( +)(\S+)(  )(.*)$", r)
if not m:
    print("#   the row has no n, iteration, local: " + r); sys.exit(1)
ends = [cells(r[:m.end(k)]) for k in (2, 4, 6)]
want = [cells(h[:h.index(w) + len(w)]) for w in (" n ", "迭代", "局部")]
want[0] -= 1
start, want_start = cells(r[:m.start(8)]), cells(h[:h.index("停在")])
if ends != want or start != want_start:
    print("#   heading %r over row %r: value ends %r, headings %r; %d vs %d"
          % (h, r, ends, want, start, want_start)); sys.exit(1)
PY
}

tui_start 80 24 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "LANGUAGE=zh_CN PTMON_LOCALEDIR=$loc $PTMON --paused -d 2 race"
check "80x24: the key bar is Chinese" tui_wait '帮助.*退出' 5
check "80x24: the header's watch-for line is Chinese" tui_wait '注意：' 3
check "80x24: the header's task counts are Chinese" tui_wait '任务：' 3
tui_wait '└─ [{]Thread-2[}] ' 5 >/dev/null
check "80x24: lines fit in cells, PID and NAME line up with the header" \
    cells_ok 80
check "80x24: the lab's Chinese headings line up with Thread-1's row" lab_ok
check "80x24: the AT column says where each task stands in Chinese" \
    tui_wait '[{]Thread-1[}] +读取 balance' 3
tui_keys F1
check "80x24: F1 shows the Chinese help" tui_wait 'ptmon 帮助.*Escape' 3
check "80x24: the help's lines fit in 80 cells" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCKET' capture-pane -p -t '$TUI_TARGET' | python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in \"WF\" else 1 for c in s)
sys.exit(any(w(l) > 80 for l in sys.stdin.read().split(chr(10))))'"
tui_keys Escape
tui_resize 160 45
tui_wait 'TIME\+ WCHAN +名称' 5 >/dev/null
check "160x45: lines fit, PID and NAME line up with the header" cells_ok 160
tui_keys h
check "160x45: the help is Chinese" tui_wait '本帮助' 3
tui_keys Escape q
tui_quit_status >/dev/null

# LANGUAGE unset under C.UTF-8, as every other UI test runs: English.
tui_run "PTMON_LOCALEDIR=$loc $PTMON --paused -d 2 race"
check "C.UTF-8 without LANGUAGE: the key bar stays English" \
    tui_wait 'F1Help.*F10Quit' 5
tui_keys q
tui_quit_status >/dev/null

if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	tui_run "env -u LC_ALL LANG=zh_CN.UTF-8 PTMON_LOCALEDIR=$loc $PTMON"
	check "LANG=zh_CN.UTF-8: the picker is Chinese" tui_wait '选择场景' 5
	tui_keys q
else
	skip "LANG=zh_CN.UTF-8: the locale is not generated (scripts/setup --tests)"
fi
finish
