/*
 * The CPU lines of /proc/stat: how much time each CPU has spent busy and in
 * all, in clock ticks since boot. Two reads a refresh apart give each CPU's
 * use in that time, as htop's meters show it. The parser is pure (the unit
 * tests feed it text); cpustat_read is its one reader of /proc.
 */
#ifndef PTMON_CPUSTAT_H
#define PTMON_CPUSTAT_H

#include <stddef.h>

/* CPUs kept; a host with more shows the first ones (and the summary). */
#define CPUSTAT_MAX	256

/* One CPU, or all of them. */
struct cpustat_cpu {
	int			 id;	/* N of "cpuN"; -1 for the summary */
	unsigned long long	 busy;	/* user nice system irq softirq steal */
	unsigned long long	 total;	/* busy + idle + iowait */
};

struct cpustat {
	struct cpustat_cpu	 all;		/* the "cpu" line */
	size_t			 n;		/* CPUs online, up to the max */
	struct cpustat_cpu	 cpu[CPUSTAT_MAX];	/* in file order */
};

/*
 * Parses the text of /proc/stat (len bytes, need not end in NUL): every
 * complete "cpu" and "cpuN" line; other lines are skipped. Returns 0, or
 * -1 when the text has no complete "cpu" summary line.
 */
int		 cpustat_parse(const char *text, size_t len, struct cpustat *);

/* Reads and parses /proc/stat; -1 with errno set when it cannot. */
int		 cpustat_read(struct cpustat *);

/*
 * The share of time cpu was busy between two reads, 0 to 100; -1 when no
 * time has passed (or the counters went back, as after a CPU came online).
 */
double		 cpustat_percent(const struct cpustat_cpu *before,
		    const struct cpustat_cpu *now);

#endif
