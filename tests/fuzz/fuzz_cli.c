/*
 * libFuzzer target for the command line (cli_parse): the input is split
 * into arguments at NUL bytes and newlines and parsed as ptmon's argv.
 * Whatever it holds, parsing returns: 0 with a consistent struct cli, or -1
 * with one non-empty line of cause that fits its buffer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define FUZZ_ARGS	64
#define FUZZ_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless a successful parse left a consistent result. */
static void
fuzz_check_cli(const struct cli *c, int argc, char **argv)
{
	int i;

	if (c->action != CLI_RUN)
		return;
	if (c->delay < 1 || c->delay > 600)
		abort();
	if (!(c->speed >= 0.01 && c->speed <= 10000))
		abort();
	if (c->json && !c->batch)
		abort();
	if (c->explore < 0 || (c->explore > 0 && !c->batch))
		abort();
	if (c->argc < 0 || c->argc >= argc)
		abort();
	/* The words left over are argv's own, ending where argv ends. */
	if (c->argc > 0 && (c->argv < argv || c->argv + c->argc != argv + argc))
		abort();
	for (i = 0; i < c->argc; i++)
		if (c->argv[i] == NULL)
			abort();
	switch (c->target) {
	case CLI_TARGET_NONE:
		if (c->batch)
			abort();
		break;
	case CLI_TARGET_SCENARIO:
		if (c->scenario == NULL)
			abort();
		break;
	case CLI_TARGET_COMMAND:
		if (c->argc < 1)
			abort();
		break;
	case CLI_TARGET_PID:
		if (c->pid < 1)
			abort();
		break;
	}
}

/* One input: split into words, parsed as ptmon's arguments. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_ARGS + 2];
	char cause[256];
	struct cli cli;
	char *copy, *p, *end;
	int argc = 0, rc;
	size_t len;

	if (size > FUZZ_MAX)
		return 0;
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = (char *)"ptmon";
	end = copy + size;
	for (p = copy; p < end && argc <= FUZZ_ARGS; p += len + 1) {
		len = strcspn(p, "\n");
		p[len] = '\0';
		argv[argc++] = p;
	}
	argv[argc] = NULL;

	memset(cause, 0x55, sizeof cause);
	rc = cli_parse(argc, argv, &cli, cause, sizeof cause);
	if (rc == 0)
		fuzz_check_cli(&cli, argc, argv);
	else if (rc != -1 || memchr(cause, '\0', sizeof cause) == NULL ||
	    cause[0] == '\0' || strchr(cause, '\n') != NULL)
		abort();
	free(copy);
	return 0;
}
