/*
 * The checkpoints scenario code stands at: one id per meaningful statement,
 * with the label the monitor shows in its AT column. A fixed table keeps the
 * control block free of pointers and the fast path free of string copies.
 */
#ifndef PTMON_CHECKPOINT_H
#define PTMON_CHECKPOINT_H

#define CHECKPOINTS(X)						\
	X(CP_NONE,		"-")				\
	X(CP_BEGIN,		"begin")			\
	X(CP_PRINT,		"print")			\
	X(CP_FORK,		"os.fork()")			\
	X(CP_PROCESS_START,	"p.start()")			\
	X(CP_JOIN,		"p.join()")			\
	X(CP_RUN_PROC,		"run_proc(name)")		\
	X(CP_APPLY_ASYNC,	"p.apply_async()")		\
	X(CP_POOL_CLOSE,	"p.close()")			\
	X(CP_WAIT_TASK,		"wait for a task")		\
	X(CP_TASK_START,	"long_time_task start")	\
	X(CP_SLEEP,		"time.sleep()")			\
	X(CP_TASK_END,		"long_time_task end")		\
	X(CP_CALL,		"subprocess.call()")		\
	X(CP_COMMUNICATE,	"p.communicate()")		\
	X(CP_PUT,		"q.put(value)")			\
	X(CP_GET,		"q.get(True)")			\
	X(CP_TERMINATE,		"pr.terminate()")		\
	X(CP_THREAD_START,	"t.start()")			\
	X(CP_THREAD_JOIN,	"t.join()")			\
	X(CP_LOOP,		"n = n + 1")			\
	X(CP_READ_ADD,		"read balance (+n)")		\
	X(CP_WRITE_ADD,		"balance = local + n")		\
	X(CP_READ_SUB,		"read balance (-n)")		\
	X(CP_WRITE_SUB,		"balance = local - n")		\
	X(CP_ACQUIRE,		"lock.acquire()")		\
	X(CP_RELEASE,		"lock.release()")		\
	X(CP_CHANGE_IT,		"change_it(n)")			\
	X(CP_EXEC,		"execvp(cmd)")			\
	X(CP_LOCAL_SET,		"local_school.student = name")	\
	X(CP_PROCESS_STUDENT,	"process_student()")		\
	X(CP_XOR,		"x = x ^ 1")			\
	X(CP_TAKE_GIL,		"take the GIL")			\
	X(CP_MANAGER_START,	"manager.start()")		\
	X(CP_CONNECT,		"m.connect()")			\
	X(CP_TASK_PUT,		"task.put(n)")			\
	X(CP_RESULT_GET,	"r = result.get(timeout=10)")	\
	X(CP_TASK_GET,		"n = task.get(timeout=1)")	\
	X(CP_RESULT_PUT,	"result.put(r)")		\
	X(CP_SERVE,		"serve_client()")		\
	X(CP_SHUTDOWN,		"manager.shutdown()")		\
	X(CP_END,		"end")				\
	X(CP_LINE,		"python")

#define CHECKPOINT_ENUM(id, label) id,
enum checkpoint { CHECKPOINTS(CHECKPOINT_ENUM) CP_COUNT };
#undef CHECKPOINT_ENUM

/* The label of a checkpoint id; "?" for an id out of range. */
const char	*checkpoint_label(unsigned id);

#endif
