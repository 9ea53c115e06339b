/*
 * multiprocessing.managers.BaseManager, as the tutorial's distributed
 * example uses it, in C and over loopback TCP only: manager.start() forks
 * a server process that keeps the registered queues, and clients
 * (manager.connect()) reach them through queue proxies, task.put(n) and
 * result.get(timeout=10), each one request and one answer on the socket.
 *
 * The server keeps the queues' items in the control block's named queues
 * (tutorial.h's shared_queue_*), so the monitor shows what is in them; it
 * serves each client in a thread of its own, as Python's server does.
 *
 * The protocol, one line each way, printable ASCII:
 *   server: "#CHALLENGE# <nonce>"  client: "<digest of nonce and authkey>"
 *   server: "#WELCOME#" or "#FAILURE#" (and it hangs up)
 *   "PUT <queue> <item>"       -> "OK"
 *   "GET <queue> <timeout>"    -> "ITEM <item>" or "EMPTY" (queue.Empty)
 *   "SHUTDOWN"                 -> "OK", and the server ends
 *   anything else              -> "#ERROR# <why>", and it hangs up
 */
#ifndef PTMON_MANAGERS_H
#define PTMON_MANAGERS_H

#include <stdbool.h>
#include <stddef.h>

#include "tutorial.h"

#define MANAGER_HOST		"127.0.0.1"
#define MANAGER_KEY_LEN		64
/* A queue item with its NUL, as the control block keeps it. */
#define MANAGER_ITEM_LEN	32
/* At most this many clients served over the server's life. */
#define MANAGER_CLIENTS_MAX	16

struct manager {
	int		 port;		/* 0: any; the one bound after start */
	char		 authkey[MANAGER_KEY_LEN];
	int		 listen_fd;	/* until the server process has it */
	int		 conn;		/* a client's socket, -1 none */
	char		 inbuf[256];	/* bytes read past the last line */
	size_t		 inlen;
	bool		 started;	/* this process started the server */
	struct process	 server;
};

/* A registered queue as a client reaches it: manager.get_task_queue(). */
struct queue_proxy {
	struct manager	*manager;
	const char	*name;		/* the queue's name on the server */
	enum checkpoint	 put_at, get_at;	/* where a waiting caller stands */
};

/* QueueManager(address=('127.0.0.1', port), authkey=authkey). */
void		 manager_init(struct manager *, int port, const char *authkey);
/*
 * manager.start(): listens on 127.0.0.1:port and forks the server process
 * (named `role`) that serves the queues; m->port is then the port. -1,
 * with a line printed, when it cannot listen.
 */
int		 manager_start(struct manager *, const char *role);
/*
 * manager.connect(): connects to the server and answers its challenge.
 * -1, with one line printed, when the server refuses the authkey or
 * cannot be reached.
 */
int		 manager_connect(struct manager *);
/* task = manager.get_task_queue(), for the queue of that name. */
struct queue_proxy manager_queue(struct manager *, const char *name,
		    enum checkpoint put_at, enum checkpoint get_at);
/* q.put(item): 0, or -1 (a line printed) when the manager is lost. */
int		 proxy_put(struct queue_proxy *, const char *item);
/*
 * item = q.get(timeout=...): 1 with the item, 0 on queue.Empty (nothing
 * within timeout seconds, divided by --speed), -1 (a line printed) when
 * the manager is lost.
 */
int		 proxy_get(struct queue_proxy *, char *item, size_t len,
		    double timeout);
/*
 * manager.shutdown(): asks the server to end, hangs up and waits for the
 * server process. Only for the manager that started it.
 */
void		 manager_shutdown(struct manager *);
/* Hangs up the client connection, if any. */
void		 manager_disconnect(struct manager *);
/*
 * In a child forked by the process that started the server: closes what
 * it inherited of it (the connection, the server's pidfd), which are the
 * parent's to use.
 */
void		 manager_forget(struct manager *);

#endif
