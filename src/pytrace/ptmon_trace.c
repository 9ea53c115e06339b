/*
 * _ptmon_trace: ptmon's tracer, a CPython extension module loaded into
 * `ptmon -- python3 PROG` by sitecustomize.py (beside it). It maps the
 * control block ptmon handed down (an inherited memfd) and makes each
 * Python thread a task of it, as a scenario's threads are:
 *
 * - every thread started through threading (threading.settrace) and the
 *   main thread take a slot named after their Python name, which also
 *   becomes the OS thread's name, so the tree shows LoopThread;
 * - a forked child takes a fresh slot for its main thread, MainProcess,
 *   renamed after multiprocessing's process name when it is one; so does
 *   a child multiprocessing spawned (sitecustomize hands it the block);
 * - a C trace function (PyEval_SetTrace, per thread) makes each source
 *   line of the program (not of the standard library nor of installed
 *   packages) a checkpoint: it shows the line ("race.py:12") and, paused,
 *   waits at the thread's gate with the GIL released, so the other
 *   threads go on;
 * - the trace function is on only while something may be paused (the
 *   block's gated word): tracing at all makes CPython run every
 *   instruction its slow way. A watcher thread waits on the word without
 *   the GIL and, when it changes, puts the function on every thread or
 *   takes it off (trace_sync).
 *
 * This is the third task-side runtime of the block, with the tutorial's
 * (src/scenario/tutorial.c): it may include ctl_layout.h for the fast
 * path's word. It is built without ptmon's sanitizer flags, for the
 * python3 that loads it is not instrumented.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <pthread.h>

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "ctl_layout.h"
#include "ptmon_trace.h"

PyMODINIT_FUNC	PyInit__ptmon_trace(void);

static struct ctl	*block;
static _Atomic uint32_t	*gated_word;
/* The calling thread's slot; -1 none (untraced, or not yet). */
static __thread int	 my_slot = -1;
/* Source files that are not the learner's: no checkpoints there. */
static char		 stdlib_dir[PATH_MAX];
static size_t		 stdlib_len;
static char		 own_dir[PATH_MAX];
static size_t		 own_len;

/*
 * The thread-state dict holds one of these per traced thread: when the
 * thread ends, CPython clears the dict, and the slot is marked done. A
 * forked child inherits its maker's, which is not its own.
 */
typedef struct {
	PyObject_HEAD
	int	 slot;
	pid_t	 pid;
} guard_object;

static void
guard_dealloc(PyObject *self)
{
	guard_object *g = (guard_object *)self;

	if (block != NULL && g->pid == getpid())
		ctl_slot_done(block, g->slot);
	PyObject_Free(self);
}

static PyTypeObject guard_type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "_ptmon_trace.guard",
	.tp_basicsize = sizeof(guard_object),
	.tp_dealloc = guard_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
};

/* True when a line of this file is a checkpoint: the program's code. */
static bool
user_file(const char *file)
{
	if (strncmp(file, "<frozen", 7) == 0)
		return false;
	if (stdlib_len > 0 && strncmp(file, stdlib_dir, stdlib_len) == 0 &&
	    file[stdlib_len] == '/')
		return false;
	if (own_len > 0 && strncmp(file, own_dir, own_len) == 0 &&
	    file[own_len] == '/')
		return false;
	/* Installed packages (Debian's sitecustomize imports some). */
	return strstr(file, "/site-packages/") == NULL &&
	    strstr(file, "/dist-packages/") == NULL;
}

static int	trace(PyObject *, PyFrameObject *, int, PyObject *);
static int	lab_opcode(PyFrameObject *);
static void	lab_values_if_wanted(void);

/* --- the trace function, on only while something may be paused ---------
 *
 * With any trace function CPython (3.11) runs every instruction the
 * traced way and makes frame objects: most of the tracer's cost. So no
 * thread has it while the gated word is 0; when it turns non-zero, the
 * watcher (a thread of its own, waiting on the word without the GIL, no
 * Python code) takes the GIL and puts it on every thread, which stop at
 * their next line, running frames too (a C trace function gets their
 * line events without f_trace); when it is 0 again, it takes it off.
 * A thread that registers (take) gets it when it is on. Threads are
 * registered without it, by threading.settrace's hook. Other trace
 * functions (the hook not fired yet, a debugger's) are left alone.
 *
 * CPython 3.13 hides _PyEval_SetTrace: there the function stays on.
 */
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030D0000
#define LAZY_TRACE 1
#endif

/* Whether the threads have the trace function: changed with the GIL. */
static _Atomic bool	 tracing_on;
static pthread_t	 watcher;
static bool		 watcher_running;
static _Atomic bool	 watcher_stop;
/* No watcher could start: the trace function stays on, as it was. */
static bool		 always_on;

#ifdef LAZY_TRACE
/* Puts the trace function on every thread (on) or takes it off. */
static void
trace_all(bool on)
{
	PyThreadState *ts;
	Py_tracefunc have = on ? NULL : trace;

	ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get());
	for (; ts != NULL; ts = PyThreadState_Next(ts))
		if (ts->c_tracefunc == have &&
		    _PyEval_SetTrace(ts, on ? trace : NULL, NULL) < 0)
			PyErr_Clear();
	atomic_store(&tracing_on, on);
}
#endif

/* With the GIL: the threads traced when and only when something gates. */
static void
trace_sync(void)
{
#ifdef LAZY_TRACE
	bool on = atomic_load(gated_word) != 0;

	if (!always_on && on != atomic_load(&tracing_on))
		trace_all(on);
#else
	atomic_store(&tracing_on, true);
#endif
}

/* True when the monitor waits for values this process may give. */
static bool
values_pending(void)
{
	int i;

	if (!atomic_load_explicit(&block->py.want, memory_order_relaxed))
		return false;
	for (i = 0; i < CTL_PY_WATCH; i++)
		if (atomic_load_explicit(&block->py.watch[i].used,
		    memory_order_relaxed) != 0)
			return true;
	return false;
}

/*
 * The watcher: follows the gated word (woken when it changes) and, while
 * no trace function gives them, the watched values the monitor asks for
 * (at most every 50 ms).
 */
static void *
watch_gated(void *arg)
{
	PyGILState_STATE st;
	PyThreadState *ts;
	double now, next_values = 0;
	uint32_t g;
	bool flip, values;

	(void)arg;
	prctl(PR_SET_NAME, CTL_WATCHER_NAME, 0, 0, 0);
	st = PyGILState_Ensure();
	ts = PyEval_SaveThread();
	while (!atomic_load(&watcher_stop)) {
		g = atomic_load(gated_word);
		flip = (g != 0) != atomic_load(&tracing_on);
		now = clock_seconds();
		values = !atomic_load(&tracing_on) && now >= next_values &&
		    values_pending();
		if (flip || values) {
			PyEval_RestoreThread(ts);
			if (!atomic_load(&watcher_stop)) {
				trace_sync();
				if (values)
					lab_values_if_wanted();
			}
			ts = PyEval_SaveThread();
			if (values)
				next_values = now + 0.05;
			continue;
		}
		ctl_wait_gated(block, g, 0.05);
	}
	PyEval_RestoreThread(ts);
	PyGILState_Release(st);
	return NULL;
}

/* With the GIL: starts the watcher of this process. */
static int
watcher_start(void)
{
	int rc;

	watcher_running = false;
	atomic_store(&watcher_stop, false);
#ifdef LAZY_TRACE
	if ((rc = pthread_create(&watcher, NULL, watch_gated, NULL)) != 0) {
		/* No watcher: the trace function stays on. */
		errno = rc;
		always_on = true;
		atomic_store(&tracing_on, true);
		return -1;
	}
	watcher_running = true;
#else
	(void)rc;
	atomic_store(&tracing_on, true);
#endif
	return 0;
}

/* stop(): at exit, before the interpreter goes, the watcher ends. */
static PyObject *
mod_stop(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	if (!watcher_running || block == NULL)
		Py_RETURN_NONE;
	atomic_store(&watcher_stop, true);
	/* Its wait is on the shared word: others' watchers look again. */
	syscall(SYS_futex, gated_word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	Py_BEGIN_ALLOW_THREADS
	pthread_join(watcher, NULL);
	Py_END_ALLOW_THREADS
	watcher_running = false;
	Py_RETURN_NONE;
}

/*
 * Makes the calling thread a task: a slot named `name` ("Thread-1
 * (run_thread)" is shown as Thread-1), its OS name when rename, a guard
 * in its thread-state dict and the trace function. An untraced thread
 * when no slot is free.
 */
static int
take(const char *name, bool rename)
{
	char role[CTL_ROLE_LEN];
	PyObject *dict;
	guard_object *g;
	const char *paren;
	size_t n = strlen(name);
	int slot;

	paren = strstr(name, " (");
	if (strncmp(name, "Thread-", 7) == 0 && paren != NULL)
		n = (size_t)(paren - name);
	if (n > sizeof role - 1)
		n = sizeof role - 1;
	memcpy(role, name, n);
	role[n] = '\0';
	slot = ctl_slot_take(block, role);
	if (slot < 0) {
		/* No slot free: this thread runs untraced, hook and all. */
		PyEval_SetTrace(NULL, NULL);
		return 0;
	}
	/* Under --paused (a gated slot) the trace function goes on now. */
	trace_sync();
	my_slot = slot;
	ctl_note_at(block, slot, CP_LINE);
	if (rename)
		prctl(PR_SET_NAME, role, 0, 0, 0);
	dict = PyThreadState_GetDict();
	g = PyObject_New(guard_object, &guard_type);
	if (g == NULL)
		return -1;
	g->slot = slot;
	g->pid = getpid();
	if (dict == NULL || PyDict_SetItemString(dict, "_ptmon_trace.guard",
	    (PyObject *)g) < 0) {
		Py_DECREF(g);
		return -1;
	}
	Py_DECREF(g);
	PyEval_SetTrace(atomic_load(&tracing_on) ? trace : NULL, NULL);
	return 0;
}

/* --- the lab: instructions, held values, watched globals ----------------
 *
 * Only on the slow path (something is paused somewhere), but for the
 * values the monitor asks for now and then (lab_values_if_wanted):
 *
 * - a line event of the program's code flags its frame for opcode events
 *   (f_trace_opcodes) and publishes the file, the line and the line's
 *   instructions, from a table per code object made once by the
 *   sitecustomize's dis helper (lab_setup);
 * - an opcode event publishes the offset of the instruction about to run
 *   and, stepping by instruction, waits at it; then, right before the
 *   instruction runs, a LOAD_GLOBAL/LOAD_NAME of a watched name of
 *   __main__ records what the thread loads (the value the name has now),
 *   and a STORE_GLOBAL/STORE_NAME of one counts a store: a lost update
 *   when another thread stored the name since this thread's load.
 *
 * "Holds" is so what the thread loaded and has not stored back yet: the
 * tracer does not read the value stack.
 */
static PyObject		*lab_dis;	/* code -> (ops by offset, lines) */
static PyObject		*lab_cache;	/* code -> that, or None */
static PyObject		*lab_names;	/* name -> its watch index */
/* In the process whose __main__ counts: not in a forked child. */
static bool		 lab_main;
static __thread PyFrameObject *lab_flagged;
static __thread PyFrameObject *lab_wait_frame;
static __thread int	 lab_wait_lasti = -1;
static __thread int	 lab_held = -1;
static __thread unsigned long long lab_held_seq;
static __thread long long lab_held_value;
static __thread bool	 lab_held_int;
static __thread int	 lab_pending = -1;

/* The table of code: (ops, lines), borrowed; NULL when there is none. */
static PyObject *
lab_table(PyCodeObject *code)
{
	PyObject *t;

	if (lab_dis == NULL || lab_cache == NULL)
		return NULL;
	t = PyDict_GetItemWithError(lab_cache, (PyObject *)code);
	if (t == NULL) {
		if (PyErr_Occurred())
			goto none;
		t = PyObject_CallOneArg(lab_dis, (PyObject *)code);
		if (t == NULL || !PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 2 ||
		    !PyDict_Check(PyTuple_GET_ITEM(t, 0)) ||
		    !PyDict_Check(PyTuple_GET_ITEM(t, 1))) {
			Py_XDECREF(t);
			PyErr_Clear();
			t = Py_NewRef(Py_None);
		}
		if (PyDict_SetItem(lab_cache, (PyObject *)code, t) < 0) {
			Py_DECREF(t);
			goto none;
		}
		Py_DECREF(t);
	}
	return t != Py_None ? t : NULL;
none:
	PyErr_Clear();
	return NULL;
}

/* Item key (an int) of dict d of the table, borrowed, or NULL. */
static PyObject *
lab_lookup(PyObject *table, int which, long key)
{
	PyObject *k, *v;

	if (table == NULL)
		return NULL;
	if ((k = PyLong_FromLong(key)) == NULL) {
		PyErr_Clear();
		return NULL;
	}
	v = PyDict_GetItemWithError(PyTuple_GET_ITEM(table, which), k);
	Py_DECREF(k);
	if (v == NULL)
		PyErr_Clear();
	return v;
}

/* A line event of the program's code, on the slow path. */
static void
lab_line(PyFrameObject *frame, PyCodeObject *code, const char *file, int line)
{
	PyObject *rec;
	const char *ops = NULL;

	if (my_slot < 0)
		return;
	if (lab_flagged != frame) {
		if (PyObject_SetAttrString((PyObject *)frame,
		    "f_trace_opcodes", Py_True) < 0)
			PyErr_Clear();
		lab_flagged = frame;
	}
	rec = lab_lookup(lab_table(code), 1, line);
	if (rec != NULL && PyUnicode_Check(rec) &&
	    (ops = PyUnicode_AsUTF8(rec)) == NULL)
		PyErr_Clear();
	ctl_py_set_line(block, my_slot, file, line, ops != NULL ? ops : "");
	ctl_py_set_offset(block, my_slot, -1);
}

/* The thread waits at a line: its opcode event there does not again. */
static void
lab_line_waits(PyFrameObject *frame)
{
	lab_wait_frame = frame;
	lab_wait_lasti = PyFrame_GetLasti(frame);
}

/* A short repr of v, cut to fit; *is_int and *num when it is an int. */
static void
lab_repr(PyObject *v, char *buf, size_t len, bool *is_int, long long *num)
{
	PyObject *r = NULL, *cut = NULL;
	const char *s = NULL;
	int overflow = 0;

	*is_int = false;
	*num = 0;
	if (PyLong_Check(v) && !PyBool_Check(v)) {
		*num = PyLong_AsLongLongAndOverflow(v, &overflow);
		if (overflow == 0 && !(*num == -1 && PyErr_Occurred())) {
			*is_int = true;
			snprintf(buf, len, "%lld", *num);
			return;
		}
		PyErr_Clear();
		snprintf(buf, len, "<big int>");
		return;
	}
	/* Bounded work: a long str is cut before its repr is made. */
	if (PyUnicode_Check(v) && PyUnicode_GET_LENGTH(v) > 32)
		v = cut = PyUnicode_Substring(v, 0, 32);
	if (v != NULL && (PyUnicode_Check(v) || PyFloat_Check(v) ||
	    PyBool_Check(v) || v == Py_None))
		r = PyObject_Repr(v);
	if (r != NULL)
		s = PyUnicode_AsUTF8(r);
	if (s != NULL)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "<%s>", v != NULL ? Py_TYPE(v)->tp_name :
		    "?");
	PyErr_Clear();
	Py_XDECREF(r);
	Py_XDECREF(cut);
}

/* __main__'s dict, borrowed, or NULL. */
static PyObject *
lab_main_dict(void)
{
	PyObject *m = PyImport_AddModule("__main__");

	if (m == NULL) {
		PyErr_Clear();
		return NULL;
	}
	return PyModule_GetDict(m);
}

/* Publishes watched name i's value in __main__ now. */
static void
lab_value(int i)
{
	char name[CTL_PY_NAME_LEN], buf[CTL_PY_REPR_LEN];
	PyObject *d = lab_main_dict(), *v;
	long long num;
	bool is_int;
	int k;

	if (d == NULL || i < 0 || i >= CTL_PY_WATCH)
		return;
	for (k = 0; k < CTL_PY_NAME_LEN; k++)
		name[k] = atomic_load_explicit(&block->py.watch[i].name[k],
		    memory_order_relaxed);
	name[CTL_PY_NAME_LEN - 1] = '\0';
	v = PyDict_GetItemString(d, name);
	if (v == NULL) {
		PyErr_Clear();
		return;
	}
	lab_repr(v, buf, sizeof buf, &is_int, &num);
	ctl_py_set_value(block, i, buf, is_int, num);
}

/* The monitor asked for the watched values: any thread gives them. */
static void
lab_values_if_wanted(void)
{
	int i;

	if (!lab_main || !ctl_py_wanted(block))
		return;
	for (i = 0; i < CTL_PY_WATCH; i++)
		if (atomic_load(&block->py.watch[i].used) != 0)
			lab_value(i);
}

/* The watch index of name, taking one for it when add; -1 none. */
static int
lab_index(PyObject *name, bool add)
{
	PyObject *v, *k;
	const char *s;
	int i;

	v = PyDict_GetItemWithError(lab_names, name);
	if (v != NULL)
		return (int)PyLong_AsLong(v);
	PyErr_Clear();
	if (!add || (s = PyUnicode_AsUTF8(name)) == NULL ||
	    strlen(s) >= CTL_PY_NAME_LEN) {
		PyErr_Clear();
		return -1;
	}
	if ((i = ctl_py_watch_add(block, s, false)) < 0)
		return -1;
	k = PyLong_FromLong(i);
	if (k == NULL || PyDict_SetItem(lab_names, name, k) < 0)
		PyErr_Clear();
	Py_XDECREF(k);
	return i;
}

/* Right before an instruction with a name runs: loads and stores. */
static void
lab_account(PyFrameObject *frame, const char *opname, PyObject *name)
{
	char buf[CTL_PY_REPR_LEN];
	PyObject *globals, *v;
	bool load, is_int = false;
	long long num = 0;
	unsigned long long seq;
	int i;

	load = strcmp(opname, "LOAD_GLOBAL") == 0 ||
	    strcmp(opname, "LOAD_NAME") == 0;
	if (!load && strcmp(opname, "STORE_GLOBAL") != 0 &&
	    strcmp(opname, "STORE_NAME") != 0)
		return;
	globals = PyFrame_GetGlobals(frame);
	if (globals != lab_main_dict()) {
		Py_XDECREF(globals);
		return;
	}
	/*
	 * A function's STORE_GLOBAL finds a name (the module's own
	 * STORE_NAMEs, its defs and imports, would fill the entries).
	 */
	i = lab_index(name, strcmp(opname, "STORE_GLOBAL") == 0);
	v = i >= 0 ? PyDict_GetItemWithError(globals, name) : NULL;
	PyErr_Clear();
	if (v != NULL)
		lab_repr(v, buf, sizeof buf, &is_int, &num);
	Py_DECREF(globals);
	if (i < 0)
		return;
	seq = atomic_load(&block->py.watch[i].stores);
	if (load) {
		if (v == NULL)
			return;
		lab_held = i;
		lab_held_seq = seq;
		lab_held_value = num;
		lab_held_int = is_int;
		ctl_py_set_held(block, my_slot, i, seq, buf);
		return;
	}
	/* Stored since our load: our store overwrites that. */
	if (lab_held == i)
		ctl_py_store(block, my_slot, i, seq != lab_held_seq,
		    is_int && lab_held_int ? num - lab_held_value : 0);
	else
		ctl_py_store(block, my_slot, i, false, 0);
	lab_held = -1;
	ctl_py_set_held(block, my_slot, -1, 0, "");
	lab_pending = i;
}

/* An opcode event of a flagged frame, on the slow path. */
static int
lab_opcode(PyFrameObject *frame)
{
	PyCodeObject *code;
	PyObject *op;
	int slot = my_slot, lasti;
	bool again;

	if (slot < 0 || !lab_main)
		return 0;
	/* What the thread stored last shows once the store is done. */
	if (lab_pending >= 0) {
		lab_value(lab_pending);
		lab_pending = -1;
	}
	lasti = PyFrame_GetLasti(frame);
	ctl_py_set_offset(block, slot, lasti);
	again = frame == lab_wait_frame && lasti == lab_wait_lasti;
	lab_wait_frame = NULL;
	if (ctl_py_by_op(block) && !again &&
	    atomic_load(&block->slots[slot].paused)) {
		Py_BEGIN_ALLOW_THREADS
		ctl_gate_wait(block, slot, CP_LINE);
		Py_END_ALLOW_THREADS
	}
	code = PyFrame_GetCode(frame);
	op = lab_lookup(lab_table(code), 0, lasti);
	Py_DECREF(code);
	/* (opname, name or None, line) */
	if (op != NULL && PyTuple_Check(op) && PyTuple_GET_SIZE(op) >= 2 &&
	    PyUnicode_Check(PyTuple_GET_ITEM(op, 0)) &&
	    PyUnicode_Check(PyTuple_GET_ITEM(op, 1))) {
		const char *opname = PyUnicode_AsUTF8(PyTuple_GET_ITEM(op, 0));

		if (opname != NULL)
			lab_account(frame, opname, PyTuple_GET_ITEM(op, 1));
		PyErr_Clear();
	}
	return 0;
}

/*
 * lab_setup(dis): the lab's helper, dis(code) -> ({offset: (opname,
 * name or None, line)}, {line: "OFFSET OPNAME ARGREPR\n..."}); and the
 * names ptmon was told to watch.
 */
static PyObject *
mod_lab_setup(PyObject *self, PyObject *dis)
{
	struct ctl_py_watch_view w;
	PyObject *name, *k;
	int i;

	(void)self;
	if (block == NULL || lab_dis != NULL)
		Py_RETURN_NONE;
	if ((lab_cache = PyDict_New()) == NULL ||
	    (lab_names = PyDict_New()) == NULL)
		return NULL;
	lab_dis = Py_NewRef(dis);
	lab_main = true;
	for (i = 0; i < CTL_PY_WATCH; i++) {
		if (!ctl_py_watch(block, i, &w))
			continue;
		name = PyUnicode_FromString(w.name);
		k = PyLong_FromLong(i);
		if (name == NULL || k == NULL ||
		    PyDict_SetItem(lab_names, name, k) < 0)
			PyErr_Clear();
		Py_XDECREF(name);
		Py_XDECREF(k);
	}
	Py_RETURN_NONE;
}

/* The slow path of a line event: something is paused somewhere. */
static int
line_gated(PyFrameObject *frame)
{
	char where[CTL_WHERE_LEN];
	PyCodeObject *code;
	const char *file, *base;
	int slot = my_slot, line;

	if (slot < 0)
		return 0;
	code = PyFrame_GetCode(frame);
	file = PyUnicode_AsUTF8(code->co_filename);
	if (file == NULL || !user_file(file)) {
		PyErr_Clear();
		Py_DECREF(code);
		return 0;
	}
	base = strrchr(file, '/');
	line = PyFrame_GetLineNumber(frame);
	snprintf(where, sizeof where, "%s:%d", base != NULL ? base + 1 : file,
	    line);
	lab_line(frame, code, file, line);
	Py_DECREF(code);
	ctl_set_where(block, slot, where);
	/* Stepping by instruction, its opcode event waits, not its line. */
	if (atomic_load(&block->slots[slot].paused) && !ctl_py_by_op(block)) {
		lab_line_waits(frame);
		Py_BEGIN_ALLOW_THREADS
		ctl_gate_wait(block, slot, CP_LINE);
		Py_END_ALLOW_THREADS
	} else
		ctl_note_at(block, slot, CP_LINE);
	return 0;
}

/*
 * The trace function: a line is a checkpoint, one load while ungated
 * (and one of the lab's want word). Opcode events come only from frames
 * the lab flagged while something was paused (lab_line).
 */
static int
trace(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	(void)obj;
	(void)arg;
	if (what == PyTrace_OPCODE)
		return atomic_load_explicit(gated_word, memory_order_relaxed) ?
		    lab_opcode(frame) : 0;
	if (what != PyTrace_LINE)
		return 0;
	if (!atomic_load_explicit(gated_word, memory_order_relaxed)) {
		lab_values_if_wanted();
		return 0;
	}
	lab_values_if_wanted();
	return line_gated(frame);
}

/* start(fd, size, stdlib_dir, own_dir): maps the block. */
static PyObject *
mod_start(PyObject *self, PyObject *args)
{
	const char *stdlib, *own, *why = NULL;
	Py_ssize_t size;
	int fd;

	(void)self;
	if (!PyArg_ParseTuple(args, "inss", &fd, &size, &stdlib, &own))
		return NULL;
	if (block != NULL)
		Py_RETURN_NONE;
	if (size < 0 || (block = ctl_attach(fd, (size_t)size, &why)) == NULL)
		return PyErr_Format(PyExc_OSError,
		    "the control block (fd %d): %s", fd,
		    why != NULL ? why : "its size is wrong");
	gated_word = &block->gated;
	snprintf(stdlib_dir, sizeof stdlib_dir, "%s", stdlib);
	stdlib_len = strlen(stdlib_dir);
	snprintf(own_dir, sizeof own_dir, "%s", own);
	own_len = strlen(own_dir);
	/* Without a watcher the trace function stays on: slower, no less. */
	(void)watcher_start();
	Py_RETURN_NONE;
}

/* register(name, rename): the calling thread becomes a task. */
static PyObject *
mod_register(PyObject *self, PyObject *args)
{
	const char *name;
	int rename;

	(void)self;
	if (!PyArg_ParseTuple(args, "sp", &name, &rename))
		return NULL;
	if (block == NULL || my_slot >= 0)
		Py_RETURN_NONE;
	if (take(name, rename) < 0)
		return NULL;
	Py_RETURN_NONE;
}

/*
 * thread_hook(frame, event, arg): threading.settrace's hook, called once
 * in each new thread as it starts: registers it under its Python name.
 */
static PyObject *
mod_thread_hook(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	PyObject *threading, *cur, *name;
	const char *s;
	int rc;

	(void)self;
	(void)args;
	(void)nargs;
	if (block == NULL || my_slot >= 0)
		Py_RETURN_NONE;
	threading = PyImport_ImportModule("threading");
	if (threading == NULL)
		return NULL;
	cur = PyObject_CallMethod(threading, "current_thread", NULL);
	Py_DECREF(threading);
	if (cur == NULL)
		return NULL;
	name = PyObject_GetAttrString(cur, "name");
	Py_DECREF(cur);
	if (name == NULL)
		return NULL;
	s = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
	if (s == NULL)
		PyErr_Clear();
	rc = take(s != NULL ? s : "Thread", true);
	Py_DECREF(name);
	if (rc < 0)
		return NULL;
	Py_RETURN_NONE;
}

/*
 * forked(name): in a child just forked. Its thread inherited its maker's
 * slot, which is not its own: a fresh one, named `name`.
 */
static PyObject *
mod_forked(PyObject *self, PyObject *arg)
{
	const char *s;

	(void)self;
	my_slot = -1;
	/* The lab watches the first process's globals only. */
	lab_main = false;
	lab_held = lab_pending = -1;
	if (block == NULL)
		Py_RETURN_NONE;
	/* The maker's watcher is not in the child: one of its own. */
	if (watcher_running)
		(void)watcher_start();
	if (!PyUnicode_Check(arg) || (s = PyUnicode_AsUTF8(arg)) == NULL)
		return PyErr_Format(PyExc_TypeError, "forked(name)");
	if (take(s, true) < 0)
		return NULL;
	Py_RETURN_NONE;
}

/*
 * named(name): a forked child learnt its name after the fork (as
 * multiprocessing's Process-1 or ForkPoolWorker-1 does): its slot and its
 * OS name take it.
 */
static PyObject *
mod_named(PyObject *self, PyObject *arg)
{
	char role[CTL_ROLE_LEN];
	const char *s;

	(void)self;
	if (block == NULL || my_slot < 0 || !PyUnicode_Check(arg) ||
	    (s = PyUnicode_AsUTF8(arg)) == NULL) {
		PyErr_Clear();
		Py_RETURN_NONE;
	}
	snprintf(role, sizeof role, "%s", s);
	ctl_set_role(block, my_slot, role);
	prctl(PR_SET_NAME, role, 0, 0, 0);
	Py_RETURN_NONE;
}

/*
 * spawned(): in a child multiprocessing spawned (sitecustomize saw
 * PTMON_CTL_SPAWNED): a fresh interpreter whose __main__ is its maker's
 * program again (__mp_main__); the lab watches the first process's only.
 */
static PyObject *
mod_spawned(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	lab_main = false;
	lab_held = lab_pending = -1;
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
	{ "start", mod_start, METH_VARARGS,
	    "start(fd, size, stdlib_dir, own_dir): map ptmon's block" },
	{ "register", mod_register, METH_VARARGS,
	    "register(name, rename): the calling thread becomes a task" },
	{ "thread_hook", (PyCFunction)(void (*)(void))mod_thread_hook,
	    METH_FASTCALL, "threading.settrace hook: registers the thread" },
	{ "forked", mod_forked, METH_O,
	    "forked(name): in a forked child, a fresh slot" },
	{ "named", mod_named, METH_O,
	    "named(name): a forked child's name, once known" },
	{ "spawned", mod_spawned, METH_NOARGS,
	    "spawned(): in a spawned child, the lab watches no globals" },
	{ "stop", mod_stop, METH_NOARGS,
	    "stop(): at exit, the watcher of the gated word ends" },
	{ "lab_setup", mod_lab_setup, METH_O,
	    "lab_setup(dis): the lab's instruction tables' maker" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "_ptmon_trace",
	.m_doc = "ptmon's tracer: Python threads as ptmon tasks",
	.m_size = -1,
	.m_methods = methods,
};

/* For ptmon_queues.c: the block and the calling thread's slot. */
struct ctl *
ptmon_trace_block(void)
{
	return block;
}

int
ptmon_trace_slot(void)
{
	return my_slot;
}

PyMODINIT_FUNC
PyInit__ptmon_trace(void)
{
	PyObject *m;

	if (PyType_Ready(&guard_type) < 0)
		return NULL;
	m = PyModule_Create(&module);
	/* The queue mirror's functions (ptmon_queues.c). */
	if (m != NULL && PyModule_AddFunctions(m, ptmon_queue_methods) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
