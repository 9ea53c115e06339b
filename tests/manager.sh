#!/bin/sh
# manager: the tutorial's distributed processes over loopback TCP. The ten
# results come back right, workers share the tasks, a wrong authkey is
# refused without a hang, garbage does not crash the server, and no
# listening socket outlives ptmon.
. "$(dirname "$0")/lib.sh"

plan 14
dir=$(mktemp -d)
bg=
trap '[ -n "$bg" ] && kill -KILL $bg 2>/dev/null; rm -rf "$dir"' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

# The port a run printed, from "Manager listens on 127.0.0.1:PORT".
port_of() {
	sed -n 's/^Manager listens on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$1"
}

# True while something listens on 127.0.0.1:$1 (/proc/net/tcp: state 0A).
listening() {
	awk -v a="$(printf '0100007F:%04X' "$1")" \
	    '$2 == a && $4 == "0A" { found = 1 } END { exit !found }' \
	    /proc/net/tcp
}

not_listening() {
	[ -n "$1" ] && ! listening "$1"
}

# Waits up to $2 seconds for a line matching $1 in file $3.
wait_line() {
	tries=$(( $2 * 20 ))
	while [ $tries -gt 0 ]; do
		grep -q "$1" "$3" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

timeout 60 "$PTMON" --batch --seed 7 --speed 20 manager >"$dir/out" 2>&1
check "manager exits 0" [ $? -eq 0 ]
check "manager: ten results n * n = n*n, one for each task put" sh -c '
	grep -E "^Put task [0-9]+\.\.\.$" $0 |
	    sed "s/^Put task \([0-9]*\)\.\.\.$/\1/" | sort -n >$0.put
	[ $(wc -l <$0.put) -eq 10 ] || exit 1
	grep "^Result: " $0 | awk "
		\$1 != \"Result:\" || \$2 != \$4 || \$3 != \"*\" ||
		\$5 != \"=\" || \$2 * \$4 != \$6 || NF != 6 { bad = 1 }
		{ print \$2 }
		END { exit bad }" >$0.raw || exit 1
	sort -n $0.raw >$0.got
	cmp -s $0.put $0.got' "$dir/out"
check "manager prints the tutorial's lines in order" sh -c '
	[ "$(head -1 $0 | cut -d: -f1)" = "Manager listens on 127.0.0.1" ] &&
	[ "$(sed -n 12p $0)" = "Try get results..." ] &&
	grep -qx "Connect to server 127.0.0.1\.\.\." $0 &&
	[ $(grep -Ec "^run task [0-9]+ \* [0-9]+\.\.\.$" $0) -eq 10 ] &&
	grep -qx "task queue is empty." $0 && grep -qx "worker exit." $0 &&
	[ "$(tail -1 $0)" = "master exit." ]' "$dir/out"
port=$(port_of "$dir/out")
check "manager's listening socket is gone when ptmon has ended" \
    not_listening "$port"

# port= listens where it is told (the port just freed).
timeout 60 "$PTMON" --batch --speed 20 manager port="$port" >"$dir/port" 2>&1
check "manager port= listens on that port" \
    [ "$(port_of "$dir/port")" = "$port" ]

# workers=2: both take tasks; both queues in every snapshot.
timeout 60 "$PTMON" --batch --json -d 1 --seed 3 --speed 10 manager \
    workers=2 >"$dir/json" 2>&1
check "manager workers=2: both workers run tasks, results right, both queues shown" \
    $py manager "$dir/json" 2
check "manager: stream well formed" $py stream "$dir/json"

# A worker with the wrong key is refused; the master gives up after its
# result.get(timeout=10) (0.5 s at --speed 20): no hang.
timeout 30 "$PTMON" --batch --speed 20 manager worker_authkey=xyz \
    >"$dir/bad" 2>&1
rc=$?
check "manager wrong authkey: ends, not killed by timeout, status not 0" \
    sh -c '[ $0 -ne 0 ] && [ $0 -ne 124 ] && [ $0 -lt 128 ]' $rc
check "manager wrong authkey: the server refuses in one clear line" \
    sh -c '[ $(grep -cx "authentication failed: wrong authkey" $0) -eq 1 ]' \
    "$dir/bad"
check "manager wrong authkey: the worker says so, no result, master exits" \
    sh -c 'grep -qx "AuthenticationError: digest sent was rejected" $0 &&
	! grep -q "^Result:" $0 && ! grep -q "^run task" $0 &&
	[ "$(tail -1 $0)" = "master exit." ]' "$dir/bad"

# While a slow run serves, garbage at its port ends only that connection;
# killing ptmon then leaves nothing listening.
setsid "$PTMON" --batch --seed 1 --speed 0.5 manager >"$dir/slow" 2>&1 &
bg=$!
wait_line "^run task" 10 "$dir/slow"
port=$(port_of "$dir/slow")
check "manager: the server listens while the run goes on" \
    listening "${port:-0}"
python3 - "$port" <<'EOF' >"$dir/garbage" 2>&1
import socket, sys
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s, s.makefile("rb")
# A wrong digest with escape sequences, then a line far too long.
s, f = conn()
assert f.readline().startswith(b"#CHALLENGE# ")
s.sendall(b"\x1b[2J\x07\xff garbage\r\n")
print(f.readline().strip().decode())
s.close()
s, f = conn()
f.readline()
s.sendall(b"x" * 5000)
print("long:", f.readline().strip().decode())
s.close()
s, f = conn()
s.close()                       # hangs up before answering
EOF
sleep 0.3
check "manager: garbage is refused, the server goes on serving" sh -c '
	grep -qx "#FAILURE#" $0 && kill -0 $1 &&
	! grep -q "$(printf "\033")" $2 &&
	[ $(grep -c "^authentication failed: " $2) -ge 2 ] &&
	wait_n=0; while [ $wait_n -lt 100 ]; do
		grep -q "^Result: " $2 && exit 0; sleep 0.1; wait_n=$((wait_n+1))
	done; exit 1' "$dir/garbage" $bg "$dir/slow"
kill -KILL $bg
wait $bg 2>/dev/null
check "manager: every process of the run is gone once ptmon is killed" \
    group_gone $bg 5
bg=
check "manager: no listening socket is left after ptmon is killed" \
    not_listening "$port"

finish
