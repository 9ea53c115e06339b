/*
 * The message catalogue: LC_MESSAGES from the environment (LANG, LC_ALL,
 * LC_MESSAGES; LANGUAGE picks the language list, even under C.UTF-8),
 * ptmon.mo under LOCALEDIR, or under $PTMON_LOCALEDIR when set (the tests
 * run the build tree's catalogue, which is not installed).
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

/*
 * Makefile.am defines where catalogues are installed; a build of these
 * sources outside automake (tests/fuzz/run.sh) installs none.
 */
#ifndef LOCALEDIR
#define LOCALEDIR	"/usr/share/locale"
#endif

void
i18n_init(void)
{
	const char *dir = getenv("PTMON_LOCALEDIR");

	setlocale(LC_MESSAGES, "");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	textdomain(PACKAGE);
}
