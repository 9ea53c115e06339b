#!/bin/sh
# Output under pressure, through --batch: a flood or a reader that never
# reads leaves ptmon answering SIGTERM at once; a flood does not stop the
# snapshots; `| head` ends ptmon as SIGPIPE would; no byte is lost or
# mangled: NULs pass, long lines are cut only between characters, and a
# command's stdout and stderr keep their order.
. "$(dirname "$0")/lib.sh"

plan 8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-output.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# ms: milliseconds since the epoch.
ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# How soon ptmon must end after SIGTERM: 0.5 s, or 2 s when it is built
# with AddressSanitizer, whose leak check alone takes a few hundred ms at
# exit, and longer beside the rest of the suite.
term_ms=500
if nm "$PTMON" 2>/dev/null | grep -q __asan_init; then
	term_ms=2000
fi

# ends_within MS PID SIG: SIG to PID; it has ended within MS milliseconds;
# its status is then in $ended_status. One that has not is killed.
ends_within() {
	limit=$1 pid=$2
	start=$(ms)
	kill -s "$3" "$pid"
	while kill -0 "$pid" 2>/dev/null &&
	    [ $(( $(ms) - start )) -le $((limit + 2000)) ]; do
		sleep 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	ended_status=$?
	took=$(( $(ms) - start ))
	[ "$took" -le "$limit" ] && return 0
	diag "took $took ms to end after SIG$3"
	return 1
}

flood_ok() {
	"$PTMON" --batch --json -d 5 -- yes >"$tmp/flood" 2>&1 &
	pid=$!
	sleep 1.5
	ends_within "$term_ms" "$pid" TERM || return 1
	[ "$ended_status" -eq 143 ] ||
	    { diag "status $ended_status, not 143"; return 1; }
	snaps=$(grep -c '"type":"snapshot"' "$tmp/flood")
	[ "$snaps" -ge 2 ] ||
	    { diag "$snaps snapshots in 1.5 s at 0.5 s"; return 1; }
}
check "a flood (yes): SIGTERM ends ptmon at once (0.5 s; 2 s with ASan), 143, snapshots kept coming" \
    flood_ok

blocked_ok() {
	mkfifo "$tmp/fifo" || return 1
	sleep 5 <"$tmp/fifo" &
	reader=$!
	"$PTMON" --batch -- yes >"$tmp/fifo" 2>"$tmp/err" &
	pid=$!
	sleep 1	# the pipe is full long before
	ends_within "$term_ms" "$pid" TERM
	rc=$?
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	[ "$rc" -eq 0 ] && [ "$ended_status" -eq 143 ] ||
	    { diag "status $ended_status"; return 1; }
}
check "a reader that never reads: SIGTERM still ends ptmon at once (0.5 s; 2 s with ASan)" \
    blocked_ok

# | head: two lines, not a word on stderr, and ptmon ends as SIGPIPE would
# (141; the status of the left side of a pipe, in plain sh).
head_ok() {
	status=$( { { "$PTMON" --batch -- yes 2>"$tmp/err"; echo $? >&3; } |
	    head -n 2 >"$tmp/head"; } 3>&1)
	[ "$(wc -l <"$tmp/head")" -eq 2 ] || return 1
	[ ! -s "$tmp/err" ] || { diag "stderr: $(cat "$tmp/err")"; return 1; }
	[ "$status" = 141 ] || { diag "status $status"; return 1; }
}
check "| head: two lines, no word on stderr, status 141 as for SIGPIPE" \
    head_ok

"$PTMON" --batch -- sh -c 'echo one; sleep 0.1; echo two >&2; sleep 0.1;
    echo three; sleep 0.1; echo four >&2' >"$tmp/order" 2>&1
check "a command's stdout and stderr keep their order" \
    [ "$(tr '\n' ' ' <"$tmp/order")" = "one two three four " ]

"$PTMON" --batch -- printf 'shown\000hidden\n' >"$tmp/nul"
printf 'shown\000hidden\n' >"$tmp/nul.want"
check "plain batch passes a NUL and all after it, byte for byte" \
    cmp -s "$tmp/nul" "$tmp/nul.want"

"$PTMON" --batch --json -- printf 'shown\000hidden\n' >"$tmp/nul.json"
check "JSON shows a NUL (\\x00) and what follows it" \
    grep -qF '"text":"shown\\x00hidden"' "$tmp/nul.json"

# 3,000 two-byte characters: longer than any line buffer.
python3 -c 'print("é" * 3000)' >"$tmp/long"
"$PTMON" --batch -- cat "$tmp/long" >"$tmp/long.out"
check "plain batch passes a 6 KB line whole" cmp -s "$tmp/long" "$tmp/long.out"
"$PTMON" --batch --json -- cat "$tmp/long" >"$tmp/long.json"
check "JSON cuts a 6 KB line only between characters" python3 -c '
import json, sys
text = "".join(e["text"] for e in map(json.loads, open(sys.argv[1]))
               if e["type"] == "output")
if text != "é" * 3000:
    print("# %d characters, %r..." % (len(text), text[:40]))
    sys.exit(1)
' "$tmp/long.json"

finish
