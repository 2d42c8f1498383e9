/* diag: how front ends (YAML loader, CLI, capture reader) say what went
 * wrong with user input. Library code returns negative codes; the front
 * end fills one of these with the place and a one-line message. */
#ifndef TCPSPEC_DIAG_H
#define TCPSPEC_DIAG_H

#include <stddef.h>

#define DIAG_MSG_MAX 512

struct diag {
	char file[256];
	unsigned line, col;   /* 1-based; 0 = not applicable */
	char msg[DIAG_MSG_MAX];
};

void diag_clear(struct diag *d);
/* Sets file/line/col and a printf-formatted message. Returns -1 so callers
 * can `return diag_set(...)`. */
int diag_set(struct diag *d, const char *file, unsigned line, unsigned col,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "file:line:col: msg" (omitting empty parts) into buf. */
void diag_format(const struct diag *d, char *buf, size_t cap);

#endif
