/*
 * Terminal cells: display widths of UTF-8 text (wcwidth, current locale),
 * and cutting, padding and wrapping it at a width in cells.
 */
#ifndef PTMON_CELLS_H
#define PTMON_CELLS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copies src into dst (len bytes) cut to at most `width` display columns,
 * padded with spaces to exactly `width` when pad is set. Wide characters
 * that would straddle the edge are left out. Returns the columns written.
 */
int		 cells_fit(char *dst, size_t len, const char *src, int width,
		    bool pad);
/*
 * The next line of src when wrapped at `width` columns: returns how many
 * bytes of src it takes (breaking after a space where it can, at least one
 * character); 0 at the end of src.
 */
size_t		 cells_wrap(const char *src, int width);
/* The display width of a UTF-8 string (undecodable bytes count as 1). */
int		 cells_width(const char *s);
/* How cells_append fills a column: cut only, or padded to its width. */
enum cells_align {
	CELLS_CUT,		/* cut to the width, not padded */
	CELLS_LEFT,		/* padded after the text */
	CELLS_RIGHT		/* padded before it (numbers) */
};

/*
 * Appends src at buf + *out (buf holds len bytes) as a column `width`
 * cells wide, aligned as `align` says. *out moves to the new end.
 */
void		 cells_append(char *buf, size_t len, size_t *out,
		    const char *src, int width, enum cells_align align);

#endif
