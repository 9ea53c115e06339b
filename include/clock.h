/*
 * The one clock: the monotonic clock, in seconds or milliseconds, for
 * refresh ticks, elapsed times, sleeps and timeouts everywhere in ptmon.
 */
#ifndef PTMON_CLOCK_H
#define PTMON_CLOCK_H

/* Seconds on the monotonic clock. */
double		 clock_seconds(void);
/* Milliseconds on the monotonic clock. */
long long	 clock_ms(void);
/* Nanoseconds on the monotonic clock: for latencies (traces, benches). */
long long	 clock_ns(void);
/*
 * Seconds since boot, suspend included: the clock of a task's start time
 * in /proc (only to place such a time on the monotonic clock).
 */
double		 clock_boot_seconds(void);

#endif
