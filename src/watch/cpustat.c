/* Parsing and reading the CPU lines of /proc/stat. */
#include "config.h"

#include "cpustat.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/stat's CPU lines come first; this holds them for 256 CPUs. */
#define CPUSTAT_READ_MAX	65536

/* Fields of a cpu line: user nice system idle iowait irq softirq steal. */
#define CPUSTAT_FIELDS		8

/*
 * Parses the numbers after "cpu" or "cpuN" in line [p, end) into c;
 * returns 0, or -1 when fewer than user, nice, system and idle are there.
 */
static int
parse_fields(const char *p, const char *end, struct cpustat_cpu *c)
{
	unsigned long long v[CPUSTAT_FIELDS] = { 0 };
	char num[32];
	int k = 0;

	while (p < end && k < CPUSTAT_FIELDS) {
		size_t len = 0;

		while (p < end && *p == ' ')
			p++;
		while (p < end && isdigit((unsigned char)*p) &&
		    len + 1 < sizeof num)
			num[len++] = *p++;
		if (len == 0)
			break;
		num[len] = '\0';
		v[k++] = strtoull(num, NULL, 10);
	}
	if (k < 4)
		return -1;
	/* Guest time is counted in user and nice already. */
	c->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	c->total = c->busy + v[3] + v[4];
	return 0;
}

int
cpustat_parse(const char *text, size_t len, struct cpustat *st)
{
	const char *p = text, *end = text + len, *eol;
	int have_all = 0;

	memset(st, 0, sizeof *st);
	st->all.id = -1;
	for (; p < end; p = eol + 1) {
		struct cpustat_cpu c;
		const char *q;
		long id = 0;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			break;		/* cut short: not a whole line */
		if (eol - p < 4 || strncmp(p, "cpu", 3) != 0)
			continue;
		q = p + 3;
		if (*q == ' ') {
			if (parse_fields(q, eol, &st->all) == 0)
				have_all = 1;
			continue;
		}
		if (!isdigit((unsigned char)*q))
			continue;
		while (q < eol && isdigit((unsigned char)*q) && id < 1000000)
			id = id * 10 + (*q++ - '0');
		if (q == eol || *q != ' ' || st->n == CPUSTAT_MAX)
			continue;
		if (parse_fields(q, eol, &c) < 0)
			continue;
		c.id = (int)id;
		st->cpu[st->n++] = c;
	}
	return have_all ? 0 : -1;
}

int
cpustat_read(struct cpustat *st)
{
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd, rc, saved;

	fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	buf = malloc(CPUSTAT_READ_MAX);
	if (buf == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	while (len < CPUSTAT_READ_MAX) {
		n = read(fd, buf + len, CPUSTAT_READ_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rc = cpustat_parse(buf, len, st);
	free(buf);
	if (rc < 0)
		errno = EINVAL;
	return rc;
}

double
cpustat_percent(const struct cpustat_cpu *before, const struct cpustat_cpu *now)
{
	unsigned long long total, busy;

	if (now->total <= before->total || now->busy < before->busy)
		return -1;
	total = now->total - before->total;
	busy = now->busy - before->busy;
	if (busy > total)
		busy = total;
	return 100.0 * (double)busy / (double)total;
}
