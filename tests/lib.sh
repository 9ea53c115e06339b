# Shared helpers for the shell tests: TAP output and small checks.
# Each test script sources this, calls plan N, then ok/not_ok per check.

: "${PTMON:=$(cd "$(dirname "$0")/.." && pwd)/src/ptmon}"
test_count=0
test_failed=0

plan() {
	echo "1..$1"
}

# ok DESCRIPTION COMMAND...: runs the command, reports it as one test.
check() {
	desc=$1
	shift
	test_count=$((test_count + 1))
	if "$@"; then
		echo "ok $test_count - $desc"
	else
		echo "not ok $test_count - $desc"
		test_failed=$((test_failed + 1))
	fi
}

# skip DESCRIPTION REASON: reports a test that cannot run here.
skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# True when ptmon is built with AddressSanitizer (--enable-sanitizers).
ptmon_has_asan() {
	nm "$PTMON" 2>/dev/null | grep -q __asan_init
}

# Prints a diagnostic line (TAP comment).
diag() {
	printf '# %s\n' "$*"
}

# Pids of every live process in a process group, one a line. Zombies are
# left out: once ptmon is gone its orphans belong to init, which reaps them
# (this sandbox's init does not, so they would linger here).
group_members() {
	ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'
}

# Waits up to $2 seconds (default 5) until group $1 has no member.
group_gone() {
	tries=$(( ${2:-5} * 20 ))
	while [ "$tries" -gt 0 ]; do
		[ -z "$(group_members "$1")" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "group $1 still has: $(group_members "$1" | tr '\n' ' ')"
	return 1
}

# python_require [tui]: skips the whole script (plan 0) unless ptmon can
# step Python and python3 is there: with "tui", on the PATH the tmux
# panes have (/usr/bin:/bin), else on this one.
python_require() {
	if ! "$PTMON" --version | grep -q '^Python stepping: built in'; then
		echo "1..0 # SKIP Python stepping is not built in (no python3-dev)"
		exit 0
	fi
	if [ "${1:-}" = tui ]; then
		if [ ! -x /usr/bin/python3 ] && [ ! -x /bin/python3 ]; then
			echo "1..0 # SKIP no python3 on the panes' PATH" \
			    "(/usr/bin:/bin)"
			exit 0
		fi
	elif ! command -v python3 >/dev/null 2>&1; then
		echo "1..0 # SKIP python3 not found"
		exit 0
	fi
}

# zh_catalogue DIR: compiles the source tree's po/zh_CN.po into
# DIR/zh_CN/LC_MESSAGES/ptmon.mo, for PTMON_LOCALEDIR=DIR (the catalogue
# the tests read is not installed).
zh_catalogue() {
	mkdir -p "$1/zh_CN/LC_MESSAGES" &&
	    msgfmt -o "$1/zh_CN/LC_MESSAGES/ptmon.mo" \
	    "${SRCDIR:-$(dirname "$0")/..}/po/zh_CN.po"
}

# Exits with the TAP status: 0 when every check passed.
finish() {
	[ "$test_failed" -eq 0 ]
	exit $?
}
