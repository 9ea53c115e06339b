/*
 * multiprocessing.managers in C: a server process keeping queues, reached
 * over loopback TCP by clients that prove they know the authkey. See
 * managers.h for the protocol.
 *
 * Every socket is opened close-on-exec, written with MSG_NOSIGNAL (a peer
 * that hung up is an error, not a SIGPIPE), read a line at a time whatever
 * the pieces it comes in, and closed on every path. The server is a child
 * of the process that started it and, as every scenario process, dies with
 * its parent (tutorial.c's PR_SET_PDEATHSIG): its listening socket goes
 * with it when ptmon ends.
 */
#include "config.h"

#include "managers.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "sanitize.h"

_Static_assert(MANAGER_ITEM_LEN == CTL_ITEM_LEN,
    "a manager's queue item is a control block queue item");

/* The longest request or answer, "\n" excluded. */
#define LINE_LEN		128
/* How long either side waits for the other during the handshake. */
#define HANDSHAKE_SECONDS	5.0
/* The longest get timeout a client may ask for, in seconds. */
#define GET_TIMEOUT_MAX		3600.0

/* ---- lines over a socket ---------------------------------------------- */

/*
 * Reads one line ("\n"-ended; the "\n", and a "\r" before it, dropped)
 * from fd into line[linesz], keeping what came after it in buf[cap] (*len
 * bytes) for the next call. Waits until `deadline` on time_time()'s clock,
 * for ever when it is negative. 1: a line; 0: the peer hung up; -1: an
 * error, the time ran out, or a line longer than linesz - 1 bytes.
 */
static int
read_line(int fd, char *buf, size_t *len, size_t cap, char *line,
    size_t linesz, double deadline)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *len);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;
		int ms = -1, r;

		if (nl != NULL) {
			size_t n = (size_t)(nl - buf);

			if (n >= linesz)
				return -1;
			memcpy(line, buf, n);
			line[n] = '\0';
			if (n > 0 && line[n - 1] == '\r')
				line[n - 1] = '\0';
			memmove(buf, nl + 1, *len - n - 1);
			*len -= n + 1;
			return 1;
		}
		if (*len >= linesz || *len >= cap)
			return -1;	/* too long for a line of ours */
		if (deadline >= 0) {
			double left = deadline - time_time();

			if (left <= 0)
				return -1;
			ms = (int)(left * 1000) + 1;
		}
		r = poll(&pfd, 1, ms);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;	/* interrupted, or look at the time again */
		got = recv(fd, buf + *len, cap - *len, 0);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (got == 0)
			return 0;
		*len += (size_t)got;
	}
}

/* Writes all of text[0..len), whatever pieces the socket takes. */
static int
write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Sends one formatted line; -1 when it does not fit or cannot be sent. */
static int
send_line(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
send_line(int fd, const char *fmt, ...)
{
	char line[LINE_LEN + 2];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n > LINE_LEN)
		return -1;
	line[n++] = '\n';
	return write_all(fd, line, (size_t)n);
}

/* Closes *fd once; -1 after. */
static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* True for 1 to MANAGER_ITEM_LEN - 1 bytes of printable ASCII. */
static bool
valid_item(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return false;
	return n > 0 && n < MANAGER_ITEM_LEN;
}

/* Prints `what` and the text the other side sent, made inert first. */
static void
print_received(const char *what, const char *text)
{
	char safe[LINE_LEN * 4 + 1];

	sanitize_text(text, strlen(text), safe, sizeof safe, 0);
	print("%s'%s'", what, safe);
}

/* ---- the authkey handshake -------------------------------------------- */

/*
 * The digest a client answers the server's nonce with. This is NOT a
 * cryptographic MAC (Python uses HMAC): a small keyed hash, FNV-1a over
 * key, nonce and key again, mixed by splitmix64's finaliser. It shows a
 * challenge-response on loopback, where the key never crosses the socket;
 * it would not stand up to an attacker who sees many exchanges.
 */
static uint64_t
keyed_digest(const char *key, const char *nonce)
{
	const char *parts[] = { key, nonce, key };
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t k;
	const char *p;

	for (k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		for (p = parts[k]; *p != '\0'; p++) {
			h ^= (unsigned char)*p;
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff;	/* "ab"+"c" is not "a"+"bc" */
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* A fresh nonce, as 16 hex digits. */
static void
new_nonce(char out[17])
{
	static unsigned counter;
	uint64_t x;

	if (getrandom(&x, sizeof x, GRND_NONBLOCK) != (ssize_t)sizeof x) {
		/* No entropy yet: a demo's nonce may come from the clock. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
		    ((uint64_t)getpid() << 16) ^ ++counter;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)x);
}

/* ---- the server process ----------------------------------------------- */

/* One client, served by a thread of the server. */
struct client {
	int		 fd;		/* -1 once closed; under server.lock */
	char		 buf[256];
	size_t		 len;
	struct thread	 thread;
};

static struct {
	const struct manager	*m;
	int			 listen_fd;
	int			 wake[2];	/* written by SHUTDOWN */
	pthread_mutex_t		 lock;
	struct client		 clients[MANAGER_CLIENTS_MAX];
	int			 nclients;
} server = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Closes the client's socket, once, whoever comes first. */
static void
hang_up(struct client *c)
{
	pthread_mutex_lock(&server.lock);
	close_fd(&c->fd);
	pthread_mutex_unlock(&server.lock);
}

/*
 * Answers one request; -1 when the connection is to end (a bad request,
 * a write that failed, or SHUTDOWN).
 */
static int
handle_request(int fd, char *line)
{
	char *cmd = line, *name, *rest, item[MANAGER_ITEM_LEN], *end;
	double timeout;
	int q;

	if (strcmp(cmd, "SHUTDOWN") == 0) {
		send_line(fd, "OK");
		/* The accepting thread sees this and ends the server. */
		while (write(server.wake[1], "x", 1) < 0 && errno == EINTR)
			;
		return -1;
	}
	name = strchr(cmd, ' ');
	if (name == NULL)
		goto bad;
	*name++ = '\0';
	rest = strchr(name, ' ');
	if (rest == NULL)
		goto bad;
	*rest++ = '\0';
	q = shared_queue_find(name);
	if (q < 0) {
		send_line(fd, "#ERROR# no such queue");
		return -1;
	}
	if (strcmp(cmd, "PUT") == 0) {
		if (!valid_item(rest))
			goto bad;
		shared_queue_put(q, rest);
		return send_line(fd, "OK");
	}
	if (strcmp(cmd, "GET") == 0) {
		errno = 0;
		timeout = strtod(rest, &end);
		if (errno != 0 || end == rest || *end != '\0' ||
		    !isfinite(timeout) || timeout < 0 ||
		    timeout > GET_TIMEOUT_MAX)
			goto bad;
		if (!shared_queue_get(q, item, sizeof item, timeout))
			return send_line(fd, "EMPTY");
		return send_line(fd, "ITEM %s", item);
	}
bad:
	send_line(fd, "#ERROR# bad request");
	return -1;
}

/* Serves one client's requests until it hangs up: a server thread. */
static void
serve_client(void *arg)
{
	struct client *c = arg;
	char line[LINE_LEN];
	int fd = c->fd;

	while (read_line(fd, c->buf, &c->len, sizeof c->buf, line,
	    sizeof line, -1) > 0) {
		checkpoint(CP_SERVE);
		if (handle_request(fd, line) < 0)
			break;
	}
	hang_up(c);
}

/*
 * deliver_challenge(): sends a nonce and checks the client's digest of it.
 * True when it knows the authkey; otherwise prints why in one line.
 */
static bool
deliver_challenge(int fd, const char *authkey)
{
	char nonce[17], want[17], line[LINE_LEN], buf[LINE_LEN + 1];
	size_t len = 0;
	int r;

	new_nonce(nonce);
	if (send_line(fd, "#CHALLENGE# %s", nonce) < 0)
		return false;
	r = read_line(fd, buf, &len, sizeof buf, line, sizeof line,
	    time_time() + HANDSHAKE_SECONDS);
	if (r <= 0) {
		print("authentication failed: no answer to the challenge");
		return false;
	}
	snprintf(want, sizeof want, "%016llx",
	    (unsigned long long)keyed_digest(authkey, nonce));
	if (strcmp(line, want) != 0) {
		send_line(fd, "#FAILURE#");
		print("authentication failed: wrong authkey");
		return false;
	}
	return send_line(fd, "#WELCOME#") == 0;
}

/* Takes one connection: checks its key, then serves it in a thread. */
static void
accept_client(void)
{
	struct client *c;
	char name[32];
	int fd, err;

	fd = accept4(server.listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* Out of something: let it pass before trying again. */
			struct timespec ts = { 0, 10000000L };

			nanosleep(&ts, NULL);
		}
		return;		/* EINTR, ECONNABORTED…: the next one */
	}
	if (!deliver_challenge(fd, server.m->authkey)) {
		close(fd);
		return;
	}
	if (server.nclients == MANAGER_CLIENTS_MAX) {
		send_line(fd, "#ERROR# too many clients");
		close(fd);
		return;
	}
	c = &server.clients[server.nclients++];
	c->fd = fd;
	c->len = 0;
	snprintf(name, sizeof name, "serve_client-%d", server.nclients);
	thread_start(&c->thread, name, serve_client, c);
	/* Nobody joins it: it ends when its client hangs up. */
	err = pthread_detach(c->thread.handle);
	if (err != 0)
		print("manager: pthread_detach: %s", strerror(err));
}

/* server.serve_forever(): the server process's code. */
static void
serve_forever(void *arg)
{
	int k;

	server.m = arg;
	server.listen_fd = server.m->listen_fd;
	if (pipe2(server.wake, O_CLOEXEC) < 0) {
		print("manager: pipe: %s", strerror(errno));
		close_fd(&server.listen_fd);
		sys_exit(1);
	}
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = server.listen_fd, .events = POLLIN },
			{ .fd = server.wake[0], .events = POLLIN },
		};

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			print("manager: poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents != 0)
			break;		/* manager.shutdown() */
		if (pfd[0].revents != 0)
			accept_client();
	}
	/* Stop listening first, then hang up on whoever is still there. */
	close_fd(&server.listen_fd);
	pthread_mutex_lock(&server.lock);
	for (k = 0; k < server.nclients; k++)
		close_fd(&server.clients[k].fd);
	pthread_mutex_unlock(&server.lock);
	close_fd(&server.wake[0]);
	close_fd(&server.wake[1]);
}

/* ---- the client side -------------------------------------------------- */

void
manager_init(struct manager *m, int port, const char *authkey)
{
	memset(m, 0, sizeof *m);
	m->port = port;
	snprintf(m->authkey, sizeof m->authkey, "%s", authkey);
	m->listen_fd = -1;
	m->conn = -1;
	m->server.pidfd = -1;
}

static struct sockaddr_in
loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int
manager_start(struct manager *m, const char *role)
{
	struct sockaddr_in a = loopback(m->port);
	socklen_t alen = sizeof a;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		print("cannot listen on %s:%d: %s", MANAGER_HOST, m->port,
		    strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(fd, MANAGER_CLIENTS_MAX) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		print("cannot listen on %s:%d: %s", MANAGER_HOST, m->port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	m->port = ntohs(a.sin_port);
	/* Listening before the fork: clients may connect at once. */
	m->listen_fd = fd;
	process_start(&m->server, role, serve_forever, m);
	/* The server process has it now. */
	close_fd(&m->listen_fd);
	m->started = true;
	return 0;
}

/* Connects fd to the loopback port, waiting out an interrupted connect. */
static int
connect_loopback(int fd, int port)
{
	struct sockaddr_in a = loopback(port);
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t elen = sizeof(int);
	int err = 0;

	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return 0;
	if (errno != EINTR)
		return -1;
	/* Interrupted: the connection goes on; wait for how it ends. */
	while (poll(&pfd, 1, (int)(HANDSHAKE_SECONDS * 1000)) < 0)
		if (errno != EINTR)
			return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int
manager_connect(struct manager *m)
{
	char line[LINE_LEN], *nonce;
	int fd;

	manager_disconnect(m);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect_loopback(fd, m->port) < 0) {
		print("cannot connect to %s:%d: %s", MANAGER_HOST, m->port,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	m->inlen = 0;
	/* answer_challenge(): the digest of the nonce with our key. */
	if (read_line(fd, m->inbuf, &m->inlen, sizeof m->inbuf, line,
	    sizeof line, time_time() + HANDSHAKE_SECONDS) <= 0)
		goto lost;
	if (strncmp(line, "#CHALLENGE# ", 12) != 0) {
		print_received("not a manager: it says ", line);
		close(fd);
		return -1;
	}
	nonce = line + 12;
	if (send_line(fd, "%016llx",
	    (unsigned long long)keyed_digest(m->authkey, nonce)) < 0 ||
	    read_line(fd, m->inbuf, &m->inlen, sizeof m->inbuf, line,
	    sizeof line, time_time() + HANDSHAKE_SECONDS) <= 0)
		goto lost;
	if (strcmp(line, "#FAILURE#") == 0) {
		print("AuthenticationError: digest sent was rejected");
		close(fd);
		return -1;
	}
	if (strcmp(line, "#WELCOME#") != 0) {
		print_received("manager refused us: ", line);
		close(fd);
		return -1;
	}
	m->conn = fd;
	return 0;
lost:
	print("manager at %s:%d did not answer", MANAGER_HOST, m->port);
	close(fd);
	return -1;
}

struct queue_proxy
manager_queue(struct manager *m, const char *name, enum checkpoint put_at,
    enum checkpoint get_at)
{
	return (struct queue_proxy){ .manager = m, .name = name,
	    .put_at = put_at, .get_at = get_at };
}

/* The connection broke: says so in one line and hangs up. */
static int
lost(struct manager *m, const char *why)
{
	print("lost the manager at %s:%d: %s", MANAGER_HOST, m->port, why);
	manager_disconnect(m);
	return -1;
}

/*
 * Sends a request and waits for its answer, standing at `at`, shown as
 * waiting on the queue. No time limit of its own: the server answers a get
 * when its timeout runs out, and a server that ends hangs up.
 */
static int
call(struct manager *m, enum checkpoint at, char *answer, size_t len,
    const char *fmt, const char *name, const char *arg)
{
	int r;

	if (m->conn < 0)
		return lost(m, "not connected");
	if (send_line(m->conn, fmt, name, arg) < 0)
		return lost(m, strerror(errno));
	queue_wait_begin(at);
	r = read_line(m->conn, m->inbuf, &m->inlen, sizeof m->inbuf, answer,
	    len, -1);
	queue_wait_end();
	if (r == 0)
		return lost(m, "it hung up");
	if (r < 0)
		return lost(m, "no answer");
	if (strncmp(answer, "#ERROR# ", 8) == 0) {
		print_received("the manager says: ", answer + 8);
		manager_disconnect(m);
		return -1;
	}
	return 0;
}

int
proxy_put(struct queue_proxy *p, const char *item)
{
	char answer[LINE_LEN];

	if (!valid_item(item)) {
		print("%s.put(): not a queue item", p->name);
		return -1;
	}
	if (call(p->manager, p->put_at, answer, sizeof answer, "PUT %s %s",
	    p->name, item) < 0)
		return -1;
	if (strcmp(answer, "OK") != 0) {
		print_received("unexpected answer to put: ", answer);
		manager_disconnect(p->manager);
		return -1;
	}
	return 0;
}

int
proxy_get(struct queue_proxy *p, char *item, size_t len, double timeout)
{
	char answer[LINE_LEN], t[32];

	snprintf(t, sizeof t, "%.3f", timeout);
	if (call(p->manager, p->get_at, answer, sizeof answer, "GET %s %s",
	    p->name, t) < 0)
		return -1;
	if (strcmp(answer, "EMPTY") == 0)
		return 0;
	/* Only printable items come back: what we print is what we check. */
	if (strncmp(answer, "ITEM ", 5) != 0 || !valid_item(answer + 5)) {
		print_received("unexpected answer to get: ", answer);
		manager_disconnect(p->manager);
		return -1;
	}
	snprintf(item, len, "%s", answer + 5);
	return 1;
}

void
manager_disconnect(struct manager *m)
{
	close_fd(&m->conn);
	m->inlen = 0;
}

void
manager_shutdown(struct manager *m)
{
	char answer[LINE_LEN];

	if (!m->started)
		return;
	/* Its "OK", or its hanging up: either way it is ending. */
	if (m->conn < 0 || send_line(m->conn, "SHUTDOWN") < 0 ||
	    read_line(m->conn, m->inbuf, &m->inlen, sizeof m->inbuf, answer,
	    sizeof answer, time_time() + HANDSHAKE_SECONDS) < 0)
		process_terminate(&m->server);	/* it cannot be asked */
	manager_disconnect(m);
	process_join(&m->server);
	m->started = false;
}

void
manager_forget(struct manager *m)
{
	close_fd(&m->conn);
	close_fd(&m->server.pidfd);
	m->started = false;
}
