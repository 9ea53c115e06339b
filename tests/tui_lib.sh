# Shared helpers for the full-screen UI tests: a private tmux server per
# test script (socket ptmon-test-PID), a plain shell in one pane, keys sent
# with send-keys and the screen read back with capture-pane. Every wait
# polls the screen for an expected string with a timeout; there are no
# fixed sleeps. The server is killed on exit, even when a check fails.
#
# Environment: PTMON (the binary), TMUX_BIN (tmux), SRCDIR, BUILDDIR.

. "$(dirname "$0")/lib.sh"
: "${TMUX_BIN:=tmux}"
# When the suite itself runs inside tmux, $TMUX names the user's server:
# our tmux must not see it (it would refuse to nest, or talk to that
# server), and the panes of our private server get their own.
unset TMUX TMUX_PANE
[ -n "$TMUX_BIN" ] || TMUX_BIN=tmux
TUI_SOCKET=ptmon-test-$$
TUI_TARGET=tui:0.0

# Runs tmux on our private server, with no user config.
tui_tmux() {
	"$TMUX_BIN" -L "$TUI_SOCKET" -f /dev/null "$@"
}

# Kills our tmux server; registered to run on exit.
tui_cleanup() {
	tui_tmux kill-server >/dev/null 2>&1
}
trap tui_cleanup EXIT
trap 'exit 130' INT TERM HUP

# Skips the whole script (TAP plan 0) when tmux is missing.
tui_require() {
	if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
		echo "1..0 # SKIP tmux not found"
		exit 0
	fi
	if [ ! -x "$PTMON" ]; then
		echo "1..0 # SKIP $PTMON not built"
		exit 0
	fi
}

# tui_start COLS ROWS: starts the server with a plain shell at a `$ `
# prompt in a COLS x ROWS window, in a UTF-8 locale, TERM as tmux sets it.
tui_start() {
	tui_tmux -u new-session -d -s tui -x "$1" -y "$2" \
	    "env -i PATH=/usr/bin:/bin HOME=/tmp LC_ALL=C.UTF-8 \
	    TERM=tmux-256color PS1='$ ' \
	    ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}' \
	    sh" || return 1
	tui_tmux set-option -g status off >/dev/null
	tui_tmux set-option -g window-size manual >/dev/null
	tui_wait '^\$' 5
}

# tui_run TEXT: types a command line into the shell and presses Enter.
tui_run() {
	tui_tmux send-keys -t "$TUI_TARGET" -l "$1" && \
	    tui_tmux send-keys -t "$TUI_TARGET" Enter
}

# tui_keys KEY...: sends keys as tmux names them (Up, F9, Escape, C-z…).
tui_keys() {
	tui_tmux send-keys -t "$TUI_TARGET" "$@"
}

# tui_type TEXT: sends literal text.
tui_type() {
	tui_tmux send-keys -t "$TUI_TARGET" -l "$1"
}

# Prints the screen as text, once it holds still: ncurses sends a frame
# in many writes (one per cursor jump), so one capture can catch half a
# frame, e.g. the header's FINISHED above the rows not yet redrawn. Two
# captures 20 ms apart that agree are a whole frame; a screen that keeps
# changing is printed as the fifth capture shows it.
tui_screen() {
	# The dot keeps the blank lines at the bottom through $(...).
	ts_prev=$(tui_tmux capture-pane -p -t "$TUI_TARGET" && echo .) ||
	    return 1
	ts_n=0
	while [ "$ts_n" -lt 4 ]; do
		sleep 0.02
		ts_now=$(tui_tmux capture-pane -p -t "$TUI_TARGET" && echo .) ||
		    return 1
		[ "$ts_now" = "$ts_prev" ] && break
		ts_prev=$ts_now
		ts_n=$((ts_n + 1))
	done
	printf '%s' "${ts_prev%.}"
}

# tui_wait REGEX [SECONDS]: waits until the screen matches (grep -E);
# on timeout prints the screen as TAP comments and fails.
tui_wait() {
	tries=$(( ${2:-5} * 20 ))
	while [ "$tries" -gt 0 ]; do
		tui_screen | grep -Eq -- "$1" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "timed out waiting for: $1"
	tui_screen | sed 's/^/#   | /'
	return 1
}

# tui_gone REGEX [SECONDS]: waits until the screen no longer matches.
tui_gone() {
	tries=$(( ${2:-5} * 20 ))
	while [ "$tries" -gt 0 ]; do
		tui_screen | grep -Eq -- "$1" || return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "still on screen: $1"
	tui_screen | sed 's/^/#   | /'
	return 1
}

# tui_resize COLS ROWS: resizes the window (and so ptmon's terminal).
tui_resize() {
	tui_tmux resize-window -t tui -x "$1" -y "$2"
}

# tui_quit_status: after ptmon ended, asks the shell for $? and prints it.
tui_quit_status() {
	# Type only once ptmon is gone, or the keys go to it.
	tries=100
	while [ -n "$(tui_child)" ] && [ "$tries" -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	tui_run 'echo "status=$?"'
	tui_wait '^status=[0-9]+' 5 || return 1
	tui_screen | sed -n 's/^status=\([0-9]*\).*/\1/p' | tail -n 1
}

# tui_status_is N: ptmon has ended with status N.
tui_status_is() {
	got=$(tui_quit_status)
	[ "$got" = "$1" ] && return 0
	diag "exit status: '$got', expected $1"
	tui_screen | sed 's/^/#   | /'
	return 1
}

# tui_shell_echoes: the shell shows typed text again (the tty is sane).
tui_shell_echoes() {
	tui_type "echo typed-$$"
	tui_wait "^\\$ echo typed-$$" 3 || return 1
	tui_keys Enter
	tui_wait "^typed-$$" 3
}

# Prints the pid of the command the pane's shell runs now (ptmon).
tui_child() {
	pgrep -o -P "$(tui_tmux display-message -p -t "$TUI_TARGET" \
	    '#{pane_pid}')"
}

# tui_alive PID: the process exists and is not a zombie.
tui_alive() {
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $state in
	Z*) return 1 ;;
	esac
	return 0
}

# tui_screen_save NAME: keeps the current screen as doc/screens/NAME.txt
# when PTMON_SCREENS is set to the directory.
tui_screen_save() {
	[ -n "${PTMON_SCREENS:-}" ] || return 0
	tui_screen | sed -e 's/[[:space:]]*$//' > "$PTMON_SCREENS/$1.txt"
}

# tui_at_of NAME: the AT column of the task named NAME (a thread's name is
# shown in braces): where it stands, e.g. "read balance (+n)".
tui_at_of() {
	tui_screen | sed -n "s/.*[ {]$1}*  *\(.*[^ ]\) *\$/\1/p" | head -n 1
}

# tui_row_of NAME: the tree row (0 = root) of the task named NAME, or
# nothing: rows follow tids, which may wrap around, so never assume one.
tui_row_of() {
	tui_screen | grep -E '^.. *[0-9]+ +[0-9]+ ' |
	    grep -nE "[ {]$1([} ]|\$)" | head -n 1 |
	    sed 's/:.*//' | awk '{ print $1 - 1 }'
}

# tui_select NAME [ROW]: selects the task named NAME (the row ROW, 0 =
# root, only when it cannot be found).
tui_select() {
	ts_row=$(tui_row_of "$1")
	[ -n "$ts_row" ] || ts_row=${2:-0}
	tui_keys Home
	ts_i=0
	while [ $ts_i -lt "$ts_row" ]; do tui_keys Down; ts_i=$((ts_i + 1)); done
}

# tui_step NAME [ROW]: selects the task named NAME (as tui_select), steps
# it with s, and waits until it stands somewhere else.
tui_step() {
	ts_before=$(tui_at_of "$1")
	tui_select "$1" "${2:-0}"
	tui_keys s
	ts_i=0
	while [ "$(tui_at_of "$1")" = "$ts_before" ] && [ $ts_i -lt 40 ]; do
		sleep 0.05
		ts_i=$((ts_i + 1))
	done
}
