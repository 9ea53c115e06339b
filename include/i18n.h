/*
 * Translation (GNU gettext, from the C library): _() translates a string
 * where it is shown, N_() marks one kept in a table (the key table, a
 * scenario's summary) that is translated with _() where it is shown.
 * English is the source language; po/ holds the catalogues. Scenario
 * output is never marked: it prints what the tutorial prints.
 */
#ifndef PTMON_I18N_H
#define PTMON_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	((const char *)(s))
#define textdomain(d)		((void)(d))
#define bindtextdomain(d, dir)	((void)(d), (void)(dir))
#endif
#define N_(s)	s
#ifndef ENABLE_NLS
#define ngettext(s, p, n)	((n) == 1 ? (s) : (p))
#endif

/* Sets the message locale and binds ptmon's catalogue (ptmon.mo). */
void	i18n_init(void);

#endif
