/*
 * A scenario's NAME=VALUE parameters: their definitions, parsing with range
 * checks, and lookup. Pure: no I/O, so the parser can be unit-tested and
 * fuzzed.
 */
#ifndef PTMON_PARAMS_H
#define PTMON_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#define PARAMS_MAX		8
#define PARAM_VALUE_LEN		256
#define PARAM_LIST_MAX		16

enum param_kind {
	PARAM_INT,		/* one integer in [min, max] */
	PARAM_NUMBER,		/* one decimal number in [min, max] */
	PARAM_TEXT,		/* free text, at most max bytes */
	PARAM_INT_LIST,		/* comma list of min_items..max_items integers */
	PARAM_WORD_LIST,	/* comma list of short words (queue items) */
};

struct param_def {
	const char	*name;
	enum param_kind	 kind;
	const char	*def;		/* default as typed; "" for an optional
					   INT that has none */
	long		 min, max;	/* value range, or text length for TEXT */
	int		 min_items, max_items;	/* for lists */
	const char	*help;
	/*
	 * For an optional INT (def ""): what leaving it out means, shown
	 * where the default would be ("one per core"); NULL shows nothing.
	 */
	const char	*unset;
};

struct param_value {
	const struct param_def	*def;
	char			 text[PARAM_VALUE_LEN];
	long			 num;
	double			 real;
	bool			 set;		/* false: optional and not given */
	int			 nitems;
	long			 ints[PARAM_LIST_MAX];
	char			 words[PARAM_LIST_MAX][16];
};

struct params {
	int			 n;
	struct param_value	 v[PARAMS_MAX];
};

/*
 * Fills `out` with every parameter of `defs` (terminated by a NULL name):
 * defaults first, then the NAME=VALUE words of argv. On bad input returns -1
 * and writes one line (without "ptmon: ") into cause[causelen].
 */
int		 params_parse(const struct param_def *defs, int argc,
		    char *const argv[], struct params *out, char *cause,
		    size_t causelen);

/*
 * The default as --list and the picker show it, into buf[len]: the def
 * as typed, or "(unset)" for an optional INT that says what leaving it
 * out means. Returns buf.
 */
const char	*params_default_shown(const struct param_def *, char *buf,
		    size_t len);

/* The value of a parameter; the name must be one of the scenario's. */
const struct param_value *params_get(const struct params *, const char *name);
long		 params_int(const struct params *, const char *name);
double		 params_number(const struct params *, const char *name);
const char	*params_text(const struct params *, const char *name);

#endif
