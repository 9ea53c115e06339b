/*
 * 假定这是你的银行存款 (suppose this is your bank balance): the race and
 * lock scenarios' shared balance, kept in the control block so the monitor
 * sees it, and change_it, the function the two threads run.
 */
#ifndef PTMON_BALANCE_H
#define PTMON_BALANCE_H

#include <stdint.h>

#include "params.h"

/* balance = 0, and what it should be when every change_it has finished. */
void		 balance_reset(void);
/* The balance as it stands. */
int64_t		 balance_value(void);

/* 先存后取，结果应该为0: adds n, then takes n away, without a lock. */
void		 change_it(long n);

/*
 * The tutorial's main program for race and lock: starts Thread-1 and
 * Thread-2 on run_thread with the amounts= parameter, joins them, prints
 * the balance. Returns the exit status.
 */
int		 run_two_threads(const struct params *,
		    void (*run_thread)(void *));

/* The parameters race and lock share: iterations=, amounts=. */
extern const struct param_def balance_params[];

#endif
