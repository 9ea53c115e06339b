/* The list of scenarios, in the order the tutorial teaches them. */
#include "config.h"

#include "scenario.h"

#include <string.h>

extern const struct scenario scenario_fork, scenario_process, scenario_pool,
    scenario_subprocess, scenario_queue, scenario_thread, scenario_race,
    scenario_lock, scenario_multicore, scenario_threadlocal,
    scenario_manager;

const struct scenario *const scenarios[] = {
	&scenario_fork,
	&scenario_process,
	&scenario_pool,
	&scenario_subprocess,
	&scenario_queue,
	&scenario_thread,
	&scenario_race,
	&scenario_lock,
	&scenario_multicore,
	&scenario_threadlocal,
	&scenario_manager,
	NULL,
};

const struct scenario *
scenario_find(const char *name)
{
	int i;

	for (i = 0; scenarios[i] != NULL; i++)
		if (strcmp(scenarios[i]->name, name) == 0)
			return scenarios[i];
	return NULL;
}

int
scenario_nqueues(const struct scenario *sc)
{
	int n = 0;

	if (!(sc->panes & MODEL_QUEUE))
		return 0;
	while (n < CTL_QUEUES && sc->queues[n] != NULL)
		n++;
	return n > 0 ? n : 1;
}
