#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diag_clear(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

int diag_set(struct diag *d, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	d->col = col;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void diag_format(const struct diag *d, char *buf, size_t cap)
{
	if (d->file[0] && d->line && d->col)
		snprintf(buf, cap, "%s:%u:%u: %s", d->file, d->line, d->col, d->msg);
	else if (d->file[0] && d->line)
		snprintf(buf, cap, "%s:%u: %s", d->file, d->line, d->msg);
	else if (d->file[0])
		snprintf(buf, cap, "%s: %s", d->file, d->msg);
	else
		snprintf(buf, cap, "%s", d->msg);
}
