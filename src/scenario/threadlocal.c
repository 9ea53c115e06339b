/*
 * ThreadLocal: one global name, one value per thread.
 *
 *	local_school = threading.local()
 *
 *	def process_student():
 *	    std = local_school.student
 *	    print('Hello, %s (in %s)' % (std, threading.current_thread().name))
 *
 *	def process_thread(name):
 *	    local_school.student = name
 *	    process_student()
 *
 *	t1 = threading.Thread(target=process_thread, args=('Alice',),
 *	    name='Thread-A')
 *	t2 = threading.Thread(target=process_thread, args=('Bob',),
 *	    name='Thread-B')
 *
 * C's __thread is what threading.local() is: each thread that touches
 * local_school has its own.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

/* local_school = threading.local() */
static __thread struct {
	char	 student[16];
} local_school;

static void
process_student(void)
{
	/* std = local_school.student */
	const char *std = local_school.student;

	checkpoint(CP_PRINT);
	print("Hello, %s (in %s)", std, current_thread_name());
}

static void
process_thread(void *name)
{
	checkpoint(CP_LOCAL_SET);
	/* local_school.student = name */
	snprintf(local_school.student, sizeof local_school.student, "%s",
	    (const char *)name);
	show_local("student", local_school.student);
	checkpoint(CP_PROCESS_STUDENT);
	process_student();
}

static int
threadlocal_main(const struct params *params)
{
	struct thread t1, t2;

	/* t1 = threading.Thread(target=process_thread, args=('Alice',), …) */
	thread_start(&t1, "Thread-A", process_thread,
	    (void *)params_text(params, "name1"));
	thread_start(&t2, "Thread-B", process_thread,
	    (void *)params_text(params, "name2"));
	thread_join(&t1);
	thread_join(&t2);
	return 0;
}

static const struct param_def threadlocal_params[] = {
	{ .name = "name1", .kind = PARAM_TEXT, .def = "Alice", .max = 15,
	  .help = N_("the student Thread-A stores in local_school") },
	{ .name = "name2", .kind = PARAM_TEXT, .def = "Bob", .max = 15,
	  .help = N_("the student Thread-B stores in local_school") },
	{ .name = NULL },
};

const struct scenario scenario_threadlocal = {
	.name = "threadlocal",
	.summary = N_("threading.local(): one name, one value per thread"),
	.watch_for = N_("local_school.student is Alice in Thread-A, Bob in Thread-B"),
	.root_role = "MainThread",
	.panes = 0,
	.params = threadlocal_params,
	.main = threadlocal_main,
};
