/*
 * The learner's queues in the block: _ptmon_queues.py (beside
 * sitecustomize.py) wraps queue.Queue and multiprocessing.Queue and calls
 * these as the program puts and gets, so ptmon's queue pane shows what
 * the program's queues hold, as the built-in queue scenario's does.
 *
 * The program's queue holds the items; the block only mirrors their
 * short reprs (ctl_queue_mirror_*), and nothing here blocks or fails the
 * program: without a block, or with a bad queue index, these do nothing.
 */
#include "ptmon_trace.h"

#include <stdbool.h>
#include <string.h>

#include "ctl.h"

/* text cut to an item's size, on a UTF-8 character's boundary. */
static void
cut_item(const char *text, char out[CTL_ITEM_LEN])
{
	size_t n = strlen(text);

	if (n > CTL_ITEM_LEN - 1) {
		n = CTL_ITEM_LEN - 1;
		/* Not in the middle of a character: back to its first byte. */
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, text, n);
	out[n] = '\0';
}

/* queue_claim(name): a queue of the block for a new queue; index or -1. */
static PyObject *
q_claim(PyObject *self, PyObject *args)
{
	struct ctl *block = ptmon_trace_block();
	char name[CTL_QUEUE_NAME_LEN];
	const char *s;
	size_t n;

	(void)self;
	if (!PyArg_ParseTuple(args, "s", &s))
		return NULL;
	if (block == NULL)
		return PyLong_FromLong(-1);
	n = strlen(s);
	if (n > sizeof name - 1) {
		n = sizeof name - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	return PyLong_FromLong(ctl_queue_claim(block, name));
}

/* The three item operations: queue_put, queue_unput, queue_got(k, text). */
enum q_op { Q_PUT, Q_UNPUT, Q_GOT };

static PyObject *
q_item(PyObject *args, enum q_op op)
{
	struct ctl *block = ptmon_trace_block();
	char item[CTL_ITEM_LEN];
	const char *s;
	int k;

	if (!PyArg_ParseTuple(args, "is", &k, &s))
		return NULL;
	if (block == NULL)
		Py_RETURN_NONE;
	cut_item(s, item);
	switch (op) {
	case Q_PUT:
		ctl_queue_mirror_put(block, k, item);
		break;
	case Q_UNPUT:
		ctl_queue_mirror_unput(block, k, item);
		break;
	case Q_GOT:
		ctl_queue_mirror_got(block, k, item);
		break;
	}
	Py_RETURN_NONE;
}

static PyObject *
q_put(PyObject *self, PyObject *args)
{
	(void)self;
	return q_item(args, Q_PUT);
}

static PyObject *
q_unput(PyObject *self, PyObject *args)
{
	(void)self;
	return q_item(args, Q_UNPUT);
}

static PyObject *
q_got(PyObject *self, PyObject *args)
{
	(void)self;
	return q_item(args, Q_GOT);
}

/* queue_wait(k, put, on): the calling thread waits to put or get, or not. */
static PyObject *
q_wait(PyObject *self, PyObject *args)
{
	struct ctl *block = ptmon_trace_block();
	int k, put, on;

	(void)self;
	if (!PyArg_ParseTuple(args, "ipp", &k, &put, &on))
		return NULL;
	if (block != NULL)
		ctl_queue_mirror_wait(block, ptmon_trace_slot(), k, put, on);
	Py_RETURN_NONE;
}

PyMethodDef ptmon_queue_methods[] = {
	{ "queue_claim", q_claim, METH_VARARGS,
	    "queue_claim(name): a block queue for a program's queue, or -1" },
	{ "queue_put", q_put, METH_VARARGS,
	    "queue_put(k, text): an item put in queue k" },
	{ "queue_unput", q_unput, METH_VARARGS,
	    "queue_unput(k, text): a put that failed, taken back" },
	{ "queue_got", q_got, METH_VARARGS,
	    "queue_got(k, text): an item got from queue k" },
	{ "queue_wait", q_wait, METH_VARARGS,
	    "queue_wait(k, put, on): the thread waits on queue k, or no more" },
	{ NULL, NULL, 0, NULL },
};
