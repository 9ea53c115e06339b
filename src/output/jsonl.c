/*
 * The JSON Lines events. Every text field was sanitised where it entered
 * ptmon; json_string escapes whatever bytes remain.
 */
#include "config.h"

#include "jsonl.h"

#include <sys/wait.h>

#include <string.h>

#include "checkpoint.h"
#include "ctl.h"
#include "json.h"
#include "model.h"
#include "params.h"
#include "sanitize.h"
#include "timeline.h"

/* Starts an event object with its type and time. */
static void
event(struct json *j, const char *type, double t)
{
	json_open(j, '{');
	json_key(j, "type");
	json_string(j, type);
	json_key(j, "t");
	json_number(j, t, 3);
}

void
jsonl_start(struct json *j, double t, const struct jsonl_start *s)
{
	char clean[PARAM_VALUE_LEN * 4];
	int i;

	event(j, "start", t);
	if (s->scenario != NULL) {
		json_key(j, "scenario");
		json_string(j, s->scenario);
		json_key(j, "params");
		json_open(j, '{');
		for (i = 0; s->params != NULL && i < s->params->n; i++) {
			const struct param_value *v = &s->params->v[i];

			json_key(j, v->def->name);
			sanitize_text(v->text, strlen(v->text), clean,
			    sizeof clean, 0);
			json_string(j, clean);
		}
		json_close(j, '}');
	} else {
		json_key(j, s->command != NULL ? "command" : "attach");
		json_string(j, s->command != NULL ? s->command :
		    s->attach != NULL ? s->attach : "");
	}
	json_key(j, "pid");
	json_int(j, s->pid);
	json_key(j, "root");
	json_int(j, s->root);
	json_key(j, "speed");
	json_number(j, s->speed, 2);
	if (s->has_seed) {
		json_key(j, "seed");
		json_int(j, (long long)s->seed);
	}
	json_close(j, '}');
}

void
jsonl_output(struct json *j, double t, pid_t pid, int stream,
    const char *text)
{
	event(j, "output", t);
	json_key(j, "pid");
	if (pid > 0)
		json_int(j, pid);
	else
		json_null(j);	/* a command's pipe does not tell who wrote */
	if (stream == 2) {
		json_key(j, "stream");
		json_string(j, "stderr");
	}
	json_key(j, "text");
	json_string(j, text);
	json_close(j, '}');
}

void
jsonl_spawn(struct json *j, double t, pid_t pid, pid_t tid, pid_t ppid,
    const char *name)
{
	event(j, "spawn", t);
	json_key(j, "pid");
	json_int(j, pid);
	json_key(j, "tid");
	json_int(j, tid);
	json_key(j, "ppid");
	json_int(j, ppid);
	json_key(j, "name");
	json_string(j, name);
	json_close(j, '}');
}

void
jsonl_exit(struct json *j, double t, pid_t pid, pid_t tid, int status)
{
	event(j, "exit", t);
	json_key(j, "pid");
	json_int(j, pid);
	json_key(j, "tid");
	json_int(j, tid);
	if (status >= 0 && WIFSIGNALED(status)) {
		json_key(j, "signal");
		json_int(j, WTERMSIG(status));
	} else {
		json_key(j, "status");
		if (status >= 0)
			json_int(j, WEXITSTATUS(status));
		else
			json_null(j);
	}
	json_close(j, '}');
}

static const char *
gate_name(enum snap_gate gate)
{
	switch (gate) {
	case SNAP_GATE_NONE:		return "none";
	case SNAP_GATE_RUNNING:		return "running";
	case SNAP_GATE_PAUSED:		return "paused";
	case SNAP_GATE_STEPPING:	return "stepping";
	}
	return "?";
}

static void
task(struct json *j, const struct snap_task *t, long hz,
    const struct timeline *tl)
{
	char state[2] = { t->s.state, '\0' };
	char states[TIMELINE_CELLS + 1] = "";

	json_open(j, '{');
	json_key(j, "pid");
	json_int(j, t->s.tgid);
	json_key(j, "tid");
	json_int(j, t->s.tid);
	json_key(j, "ppid");
	json_int(j, t->s.ppid);
	json_key(j, "depth");
	json_int(j, t->depth);
	json_key(j, "thread");
	json_bool(j, t->is_thread);
	json_key(j, "name");
	json_string(j, t->s.name);
	json_key(j, "role");
	json_string(j, t->role);
	json_key(j, "state");
	json_string(j, state);
	json_key(j, "cpu");
	json_number(j, t->s.cpu, 1);
	json_key(j, "rss");
	json_int(j, (long long)t->s.rss_kib);
	json_key(j, "time");
	json_number(j, (double)t->s.ticks / (double)(hz > 0 ? hz : 100), 2);
	json_key(j, "processor");
	json_int(j, t->s.processor);
	json_key(j, "gate");
	json_string(j, gate_name(t->gate));
	json_key(j, "doing");
	if (t->slot >= 0)
		json_string(j, ctl_doing_name(t->doing));
	else
		json_null(j);
	json_key(j, "at");
	json_string(j, model_task_at(t));
	json_key(j, "local");
	json_int(j, t->local);
	/* What its threading.local() holds (threadlocal), else null. */
	json_key(j, "thread_local");
	if (t->text[0] != '\0')
		json_string(j, t->text);
	else
		json_null(j);
	json_key(j, "cmdline");
	json_string(j, t->s.cmdline);
	json_key(j, "wchan");
	json_string(j, t->s.wchan);
	/* Its state at each of the last refreshes, oldest first. */
	json_key(j, "states");
	if (tl != NULL)
		timeline_states(tl, t->s.tid, TIMELINE_CELLS, states);
	json_string(j, states);
	json_close(j, '}');
}

/*
 * A queue's object: {"name"?, "items", "puts", "gets", the waiters,
 * "hidden"?}.
 */
static void
queue(struct json *j, const struct snap_queue *q, bool named)
{
	unsigned i;

	json_open(j, '{');
	if (named) {
		json_key(j, "name");
		json_string(j, q->name);
	}
	json_key(j, "items");
	json_open(j, '[');
	for (i = 0; i < q->nitems && i < CTL_QUEUE_CAP; i++)
		json_string(j, q->items[i]);
	json_close(j, ']');
	json_key(j, "puts");
	json_int(j, q->puts);
	json_key(j, "gets");
	json_int(j, q->gets);
	json_key(j, "getters_waiting");
	json_int(j, q->getters_waiting);
	json_key(j, "putters_waiting");
	json_int(j, q->putters_waiting);
	if (q->hidden > 0) {
		/* A traced program's queue: items ahead of "items". */
		json_key(j, "hidden");
		json_int(j, q->hidden);
	}
	json_close(j, '}');
}

void
jsonl_snapshot(struct json *j, double t, const struct snapshot *snap,
    long hz, const struct timeline *tl)
{
	size_t i;
	int k;

	event(j, "snapshot", t);
	json_key(j, "root");
	json_int(j, snap->root);
	json_key(j, "tasks");
	json_open(j, '[');
	for (i = 0; i < snap->ntasks; i++)
		task(j, &snap->tasks[i], hz, tl);
	json_close(j, ']');
	if (snap->queues[0].present) {
		/* The first queue, as it always was; then every queue, named. */
		json_key(j, "queue");
		queue(j, &snap->queues[0], false);
		json_key(j, "queues");
		json_open(j, '[');
		for (k = 0; k < CTL_QUEUES && snap->queues[k].present; k++)
			queue(j, &snap->queues[k], true);
		json_close(j, ']');
	}
	if (snap->balance.present) {
		json_key(j, "balance");
		json_open(j, '{');
		json_key(j, "value");
		json_int(j, snap->balance.value);
		json_key(j, "expected");
		json_int(j, snap->balance.expected);
		json_key(j, "owner");
		json_int(j, snap->balance.owner);
		json_key(j, "waiters");
		json_int(j, snap->balance.waiters);
		json_close(j, '}');
	}
	json_close(j, '}');
}

void
jsonl_end(struct json *j, double t, int status)
{
	event(j, "end", t);
	json_key(j, "status");
	json_int(j, status);
	json_close(j, '}');
}
