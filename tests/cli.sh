#!/bin/sh
# The command-line contract: bad input gives one "ptmon:" line and status 2.
. "$(dirname "$0")/lib.sh"

plan 30

# exits_2 ARGS...: status 2, nothing on stdout, one line on stderr.
exits_2() {
	out=$("$PTMON" "$@" 2>/tmp/ptmon-cli-err.$$)
	status=$?
	err=$(cat /tmp/ptmon-cli-err.$$)
	rm -f /tmp/ptmon-cli-err.$$
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ "$status" -ne 2 ] || [ -n "$out" ] || [ "$lines" -ne 1 ]; then
		diag "ptmon $*: status $status, stdout '$out', stderr '$err'"
		return 1
	fi
	case $err in
	ptmon:*) return 0 ;;
	esac
	diag "stderr does not start with ptmon: '$err'"
	return 1
}

check "unknown scenario" exits_2 --batch nosuch
check "unknown parameter" exits_2 --batch pool colour=red
check "value out of range" exits_2 --batch pool workers=0
check "value not a number" exits_2 --batch pool workers=four
check "list value with an empty item" exits_2 --batch race amounts=5,
check "word that is not NAME=VALUE" exits_2 --batch fork now
check "unknown option" exits_2 --frobnicate
check "bad --speed" exits_2 --batch --speed fast pool
check "bad --delay" exits_2 --batch -d 0 pool
check "bad --seed" exits_2 --batch --seed x pool
check "-p needs a number" exits_2 -p abc
check "--batch alone" exits_2 --batch
check "--json without --batch" exits_2 --json pool
check "missing option value" exits_2 --batch pool --speed
check "--delay with a space before the number" exits_2 --batch -d ' 5' pool
check "--speed in hex (0x1p3)" exits_2 --batch --speed 0x1p3 pool
check "--record -- is not a file name" exits_2 --record -- true
check "--paused with --batch (nothing could resume)" \
    exits_2 --paused --batch race
check "--batch --record with nothing to record" \
    exits_2 --batch --record /tmp/ptmon-cli-rec.$$ race
# A zombie: the child of a `sleep` that never waits for it.
sh -c "sleep 0.05 & echo \$! >/tmp/ptmon-cli-z.$$; exec sleep 5" &
parent=$!
sleep 0.4
zombie=$(cat /tmp/ptmon-cli-z.$$)
rm -f /tmp/ptmon-cli-z.$$
diag "zombie $zombie: $(ps -o stat= -p "$zombie")"
check "-p of a zombie" exits_2 --batch -p "$zombie"
kill "$parent"
wait "$parent" 2>/dev/null

check "--list names the eight scenarios" sh -c '
	out=$("$0" --list) || exit 1
	for s in fork process pool subprocess queue thread race lock; do
		printf "%s\n" "$out" | grep -q "^$s " || exit 1
	done' "$PTMON"
check "--list shows parameters with defaults" sh -c \
	'"$0" --list | grep -q "workers=4"' "$PTMON"
check "--help shows usage and exits 0" sh -c \
	'"$0" --help | grep -q "^Usage: ptmon"' "$PTMON"
check "-h documents every option" sh -c '
	h=$("$0" -h)
	for o in --batch --json --list --delay --speed --seed --paused \
	    --record --replay --explore --ascii --pid --help --version; do
		printf "%s\n" "$h" | grep -q -- "$o" || { echo "# $o"; exit 1; }
	done' "$PTMON"
check "--version prints the version" sh -c \
	'"$0" --version | grep -Eq "^ptmon [0-9]+\.[0-9]+"' "$PTMON"
check "batch exits with the command's status" sh -c \
	'"$0" --batch -- sh -c "exit 3" >/dev/null; [ $? -eq 3 ]' "$PTMON"
check "batch exits 128+N when the command is killed by signal N" sh -c \
	'"$0" --batch -- sh -c "kill -TERM \$\$" >/dev/null; [ $? -eq 143 ]' \
	"$PTMON"
check "a scenario exits with its root's status, not its child's" sh -c \
	'"$0" --batch subprocess cmd=false timeout=5 >/dev/null; [ $? -eq 0 ]' \
	"$PTMON"
check "closed stdout does not hang or crash" sh -c \
	'"$0" --batch --speed 50 pool | head -1 >/dev/null' "$PTMON"
check "option values may not be hostile to the terminal" sh -c '
	err=$("$0" --batch "$(printf "\033]0;x\007")" 2>&1 >/dev/null)
	[ $? -eq 2 ] || exit 1
	printf "%s" "$err" | grep -q "$(printf "\033")" && exit 1
	exit 0' "$PTMON"

finish
