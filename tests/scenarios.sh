#!/bin/sh
# Each scenario's output: the tutorial's lines, with real PIDs, in an order
# the tutorial's program allows.
. "$(dirname "$0")/lib.sh"

plan 27
out=/tmp/ptmon-scn.$$
trap 'rm -f $out' EXIT

run() {
	"$PTMON" --batch --seed 7 "$@" >$out 2>&1
}

# fork: the parent's pid is the child's parent.
run fork
check "fork exits 0" [ $? -eq 0 ]
check "fork prints parent and child lines with real pids" sh -c '
	p=$(sed -n "s/^Process (\([0-9]*\)) start\.\.\.$/\1/p" $0)
	c=$(sed -n "s/^I ($p) just created a child process (\([0-9]*\))\.$/\1/p" $0)
	[ -n "$p" ] && [ -n "$c" ] && [ "$p" != "$c" ] &&
	grep -qx "I am child process ($c) and my parent is $p\." $0 &&
	[ $(wc -l <$0) -eq 3 ] && [ "$(head -1 $0)" = "Process ($p) start..." ]' $out

# process: the exact four lines, in order.
run process
check "process prints the tutorial's lines in order" sh -c '
	p=$(sed -n "1s/^Parent process \([0-9]*\)\.$/\1/p" $0)
	[ -n "$p" ] &&
	[ "$(sed -n 2p $0)" = "Child process will start." ] &&
	sed -n 3p $0 | grep -Eq "^Run child process test \([0-9]+\)\.\.\.$" &&
	! sed -n 3p $0 | grep -q "($p)" &&
	[ "$(sed -n 4p $0)" = "Child process end." ] && [ $(wc -l <$0) -eq 4 ]' $out
run process name=demo
check "process passes name= to run_proc" grep -q "^Run child process demo (" $out

# pool: four workers at most, task 4 waits for a free worker.
run --speed 10 pool
check "pool exits 0" [ $? -eq 0 ]
check "pool starts and ends like the tutorial" sh -c '
	head -1 $0 | grep -Eq "^Parent process [0-9]+\.$" &&
	grep -qx "Waiting for all subprocesses done..." $0 &&
	[ "$(tail -1 $0)" = "All subprocesses done." ]' $out
check "pool runs each of the 5 tasks once" sh -c '
	for i in 0 1 2 3 4; do
		[ $(grep -Ec "^Run task $i \([0-9]+\)\.\.\.$" $0) -eq 1 ] || exit 1
		[ $(grep -Ec "^Task $i runs [0-9]+\.[0-9]{2} seconds\.$" $0) -eq 1 ] || exit 1
	done' $out
check "pool uses at most 4 worker processes, none the parent" sh -c '
	p=$(sed -n "1s/^Parent process \([0-9]*\)\.$/\1/p" $0)
	w=$(sed -n "s/^Run task [0-9]* (\([0-9]*\))\.\.\.$/\1/p" $0 | sort -u)
	n=$(printf "%s\n" "$w" | wc -l)
	[ "$n" -ge 1 ] && [ "$n" -le 4 ] && ! printf "%s\n" "$w" | grep -qx "$p"' $out
check "pool task 4 starts only after some task finished" sh -c '
	run4=$(grep -n "^Run task 4 " $0 | cut -d: -f1)
	first_end=$(grep -n "^Task [0-9] runs" $0 | head -1 | cut -d: -f1)
	[ -n "$run4" ] && [ -n "$first_end" ] && [ "$first_end" -lt "$run4" ]' $out
run --speed 20 pool workers=2 tasks=6
check "pool workers=2 uses two workers for six tasks" sh -c '
	[ $(grep -c "^Run task" $0) -eq 6 ] &&
	[ $(sed -n "s/^Run task [0-9]* (\([0-9]*\))\.\.\.$/\1/p" $0 | sort -u | wc -l) -le 2 ]' $out

# subprocess: exit codes as Python reports them, never a hang.
run subprocess cmd=true
check "subprocess cmd=true: Exit code: 0" sh -c '
	[ "$(head -1 $0)" = "\$ true" ] && grep -qx "Exit code: 0" $0' $out
run subprocess "cmd=false"
check "subprocess cmd=false: Exit code: 1" grep -qx "Exit code: 1" $out
run subprocess cmd=/nonexistent/program
check "subprocess of a missing program: Exit code: 127" grep -qx "Exit code: 127" $out
run subprocess cmd=cat input='set q=mx\npython.org\nexit\n'
check "subprocess communicate() feeds input to stdin" sh -c '
	grep -qx "\$ cat" $0 && grep -qx "set q=mx" $0 && grep -qx "python.org" $0 &&
	grep -qx "exit" $0' $out
start=$(date +%s)
run subprocess "cmd=sleep 30" timeout=1
end=$(date +%s)
check "subprocess kills a command past timeout=" sh -c '
	grep -qx "Exit code: -9" $0 && [ $(($2 - $1)) -le 5 ]' $out $start $end
run subprocess
check "subprocess default runs nslookup www.python.org" sh -c '
	[ "$(head -1 $0)" = "\$ nslookup www.python.org" ] &&
	[ $(grep -c "^Exit code: " $0) -eq 2 ] && grep -qx "\$ nslookup" $0' $out

# queue: every Get after its Put, all of them.
run --speed 10 queue
check "queue names writer and reader" sh -c '
	grep -Eqx "Process to write: [0-9]+" $0 && grep -Eqx "Process to read: [0-9]+" $0' $out
check "queue: each Get after its Put, in order" sh -c '
	for v in A B C; do
		put=$(grep -n "^Put $v to queue\.\.\.$" $0 | cut -d: -f1)
		get=$(grep -n "^Get $v from queue\.$" $0 | cut -d: -f1)
		[ -n "$put" ] && [ -n "$get" ] && [ "$put" -lt "$get" ] || exit 1
	done
	[ "$(grep "^Get" $0 | tr -d "\n")" = "Get A from queue.Get B from queue.Get C from queue." ]' $out
run --speed 20 queue items=x,y,z,w
check "queue items= puts every item" sh -c '[ $(grep -c "^Get . from queue\.$" $0) -eq 4 ]' $out

# thread: the exact lines.
run --speed 20 thread
check "thread prints the tutorial's lines exactly" sh -c '
	printf "%s\n" "thread MainThread is running..." \
	    "thread LoopThread is running..." \
	    "thread LoopThread >>> 1" "thread LoopThread >>> 2" \
	    "thread LoopThread >>> 3" "thread LoopThread >>> 4" \
	    "thread LoopThread >>> 5" "thread LoopThread ended." \
	    "thread MainThread ended." | cmp -s - $0' $out
run --speed 20 thread count=2
check "thread count=2 counts to 2" sh -c '
	grep -qx "thread LoopThread >>> 2" $0 && ! grep -q ">>> 3" $0' $out
start=$(date +%s%N)
run --speed 1 thread count=1
end=$(date +%s%N)
check "thread at speed 1 really sleeps 1 s per count" \
	[ $(( (end - start) / 1000000 )) -ge 950 ]

# multicore: threads=N starts Thread-1..Thread-N; the loops end after
# seconds= (divided by --speed, as a sleep).
start=$(date +%s%N)
run --speed 2 multicore threads=3 seconds=2
status=$?
end=$(date +%s%N)
check "multicore threads=3 starts Thread-1..Thread-3 and ends with 0" sh -c '
	[ "$1" -eq 0 ] &&
	[ "$(grep "^thread" $0 | sort)" = "$(printf "%s\n" \
	    "thread Thread-1 is running..." "thread Thread-2 is running..." \
	    "thread Thread-3 is running...")" ] &&
	tail -1 $0 | grep -Eqx "3 threads looped together for (0\.9|1\.[0-9]) seconds\." &&
	[ $(wc -l <$0) -eq 4 ]' $out $status
check "multicore seconds=2 at speed 2 ends after about 1 s" sh -c '
	ms=$(( ($1 - $0) / 1000000 )); [ $ms -ge 950 ] && [ $ms -lt 1900 ]' \
	$start $end
run multicore seconds=0
check "multicore without threads= starts one thread per core" sh -c '
	n=$(nproc); [ $n -gt 32 ] && n=32
	[ $(grep -c "^thread Thread-[0-9]* is running\.\.\.$" $0) -eq $n ] &&
	grep -qx "thread Thread-$n is running..." $0' $out

# threadlocal: each thread says hello to its own student.
run threadlocal
check "threadlocal prints Hello for Alice in Thread-A and Bob in Thread-B" \
    sh -c '[ "$(sort $0)" = "$(printf "%s\n" "Hello, Alice (in Thread-A)" \
    "Hello, Bob (in Thread-B)")" ]' $out
run threadlocal name1=Carol name2=Dan
check "threadlocal name1= name2= are each thread's own" \
    sh -c 'grep -qx "Hello, Carol (in Thread-A)" $0 &&
    grep -qx "Hello, Dan (in Thread-B)" $0' $out

finish
