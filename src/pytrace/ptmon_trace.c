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
 *   renamed after multiprocessing's process name when it is one;
 * - a C trace function (PyEval_SetTrace, per thread) makes each source
 *   line of the program (not of the standard library nor of installed
 *   packages) a checkpoint: one
 *   relaxed load of the block's gated word while nothing is paused; when
 *   something is, it shows the line ("race.py:12") and waits at the
 *   thread's gate with the GIL released, so the other threads go on.
 *
 * This is the third task-side runtime of the block, with the tutorial's
 * (src/scenario/tutorial.c): it may include ctl_layout.h for the fast
 * path's word. It is built without ptmon's sanitizer flags, for the
 * python3 that loads it is not instrumented.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <sys/prctl.h>

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

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
	PyEval_SetTrace(trace, NULL);
	return 0;
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
	Py_DECREF(code);
	ctl_set_where(block, slot, where);
	if (atomic_load(&block->slots[slot].paused)) {
		Py_BEGIN_ALLOW_THREADS
		ctl_gate_wait(block, slot, CP_LINE);
		Py_END_ALLOW_THREADS
	} else
		ctl_note_at(block, slot, CP_LINE);
	return 0;
}

/* The trace function: a line is a checkpoint, one load while ungated. */
static int
trace(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	(void)obj;
	(void)arg;
	if (what != PyTrace_LINE ||
	    !atomic_load_explicit(gated_word, memory_order_relaxed))
		return 0;
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
	if (block == NULL)
		Py_RETURN_NONE;
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
