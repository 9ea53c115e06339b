/*
 * The sampler: what the kernel says of the watched tree, each refresh. The
 * only module that knows libproc2. It reads every process and thread of the
 * subtree, found afresh each time through files it keeps open between
 * reads, and computes %CPU from the tick delta since the previous read, as
 * top does. It may raise RLIMIT_NOFILE (toward the hard limit) to keep them.
 */
#ifndef PTMON_SAMPLER_H
#define PTMON_SAMPLER_H

#include <stddef.h>
#include <sys/types.h>

#define SAMPLE_NAME_LEN	64	/* comm is 15 bytes; escapes can make it 4x */
/*
 * A command line is kept to its first 127 bytes (after escaping): what a
 * row can show, and every task of every snapshot carries one.
 */
#define SAMPLE_CMD_LEN	128
#define SAMPLE_WCHAN_LEN	24	/* a kernel symbol, cut to fit */

/* One process or thread. For a process tid == tgid. Text is sanitised. */
struct sample {
	pid_t			 tid;
	pid_t			 tgid;
	pid_t			 ppid;		/* of the process (tgid) */
	char			 state;		/* R S D Z T t I X */
	unsigned long long	 ticks;		/* utime + stime, clock ticks */
	double			 cpu;		/* % of one CPU over the last
						   rate interval */
	unsigned long long	 rate_ticks;	/* sampler's own: ticks then */
	unsigned long		 rss_kib;
	int			 processor;	/* last CPU it ran on */
	unsigned long long	 start_time;	/* clock ticks after boot */
	char			 name[SAMPLE_NAME_LEN];
	char			 cmdline[SAMPLE_CMD_LEN];
	/*
	 * The kernel function a sleeping task waits in (/proc/TID/wchan,
	 * e.g. "futex_wait_queue", "pipe_read", "do_wait"); empty when it
	 * runs, or when the kernel does not say (it reads "0" then).
	 */
	char			 wchan[SAMPLE_WCHAN_LEN];
};

struct sampler;

/* Makes a sampler; returns NULL with *cause set when libproc2 fails. */
struct sampler	*sampler_new(const char **cause);

/*
 * Reads the subtree of `root` (every descendant process and every thread of
 * each), plus the subtrees of `adopter`'s other children when adopter > 0
 * (ptmon, which adopts the scenario's orphans). Tasks that vanish while it
 * reads are left out, never an error. On success *out points to *n samples
 * owned by the sampler, valid until the next call; returns 0. Returns -1
 * only when the library itself fails.
 */
int		 sampler_read(struct sampler *, pid_t root, pid_t adopter,
		    const struct sample **out, size_t *n);

/*
 * Reads closer than `seconds` to the last read that computed %CPU carry
 * that %CPU instead of computing it over a short, noisy interval: frames
 * drawn on events between refresh ticks show the tick's figures. 0, the
 * default: every read computes it.
 */
void		 sampler_set_rate_interval(struct sampler *, double seconds);

/* Frees the sampler and its samples. */
void		 sampler_free(struct sampler *);

#endif
