#!/bin/sh
# The interleaving lab in batch mode: schedules replayed, recorded, explored.
. "$(dirname "$0")/lib.sh"

plan 14
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/lose" <<'SCHED'
# lose an update by hand: both threads read 0, both write
Thread-1   # read balance (0)
Thread-2   # read balance (0)
Thread-1   # balance = 0 + 5
Thread-2   # balance = 0 + 8: Thread-1's update is lost
SCHED

values=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	values="$values $("$PTMON" --batch --replay "$dir/lose" race iterations=1)"
done
diag "race under the schedule:$values"
check "a replayed schedule loses the same update 10 times out of 10" \
	[ "$values" = " -5 -5 -5 -5 -5 -5 -5 -5 -5 -5" ]

values=""
for i in 1 2 3; do
	values="$values $("$PTMON" --batch --replay "$dir/lose" race iterations=3)"
done
check "with more iterations the replay is deterministic too" \
	sh -c '[ "$(echo $0 | tr " " "\n" | sort -u | wc -l)" -eq 1 ]' "$values"

values=""
for i in 1 2 3; do
	values="$values $("$PTMON" --batch --replay "$dir/lose" lock iterations=2)"
done
check "the same schedule on lock gives 0" [ "$values" = " 0 0 0" ]

"$PTMON" --batch --replay "$dir/lose" --record "$dir/rec" race iterations=1 >/dev/null
check "--record writes the steps replayed" sh -c \
	'[ "$(grep -v "^#" "$0" | tr "\n" " ")" = "Thread-1 Thread-2 Thread-1 Thread-2 " ]' \
	"$dir/rec"

out=$("$PTMON" --batch --replay "$dir/lose" race iterations=1 target=-5)
check "target= says when the final balance reaches it, in how many steps" \
	sh -c 'printf "%s\n" "$0" | grep -qx "target -5 reached: final balance -5 in 4 steps"' "$out"

"$PTMON" --batch --explore 500 --seed 4 --record "$dir/found" race iterations=2 >"$dir/explore"
check "explore finds a losing schedule for race, iterations=2" [ $? -eq 0 ]
check "explore says how many schedules it tried" \
	grep -Eq "^# tried [0-9]+ schedules?$" "$dir/explore"
found=$(sed -n 's/.*final balance \(-*[0-9]*\), expected 0.*/\1/p' "$dir/explore")
replayed=$("$PTMON" --batch --replay "$dir/found" race iterations=2)
diag "explore found $found, its recording replays to $replayed"
check "the recording replays to the same final balance" \
	sh -c '[ -n "$0" ] && [ "$0" != 0 ] && [ "$0" = "$1" ]' "$found" "$replayed"
check "explore's output is itself a schedule file" sh -c \
	'"$0" --batch --replay "$1" race iterations=2 | grep -qx -- "$2"' \
	"$PTMON" "$dir/explore" "$found"

"$PTMON" --batch --explore 40 lock iterations=2 >"$dir/lock"
check "explore on lock finds none and says so (status 1)" sh -c \
	'[ $1 -eq 1 ] && grep -q "^# no schedule of 40 lost an update" "$0" &&
	 grep -qx "# final balances seen: 0" "$0"' "$dir/lock" $?

# Malformed schedules: one clear line with the line number, status 2.
errs() {
	printf "$1" >"$dir/bad"
	shift
	"$PTMON" --batch --replay "$dir/bad" "$@" >/dev/null 2>"$dir/err"
	status=$?
	diag "$(cat "$dir/err")"
	[ $status -eq 2 ] && [ "$(wc -l <"$dir/err")" -eq 1 ] &&
	    grep -q "^ptmon: $dir/bad: line $expect_line: " "$dir/err"
}
expect_line=2
check "a name that is not a task name" errs 'Thread-1\nThread 2\n' race iterations=1
expect_line=3
check "a task that does not exist" errs 'Thread-1\n# x\nThread-9\n' race iterations=1
expect_line=6
check "stepping a thread that has ended" \
	errs 'Thread-1\nThread-1\nThread-1\nThread-1\nThread-2\nThread-1\n' \
	race iterations=1
"$PTMON" --batch --replay "$dir/none" race 2>"$dir/err"
check "a missing schedule file" sh -c \
	'[ $1 -eq 2 ] && grep -q "^ptmon: .*none: No such file" "$0"' "$dir/err" $?

finish
