/* Small helpers the daemon and ospreyctl share: checked allocation and string vectors. */
#ifndef OSPREY_DAEMON_UTIL_H
#define OSPREY_DAEMON_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation failure in a keying daemon is not recoverable in any useful way:
 * these abort with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable vector of owned strings. */
struct strv {
	char **v;
	size_t n;
};

void strv_add(struct strv *sv, const char *s);
void strv_free(struct strv *sv);
int strv_contains(const struct strv *sv, const char *s);

/* Edit distance, used for "did you mean" suggestions. */
size_t edit_distance(const char *a, const char *b);
/* The closest of the n candidates to word when it is close enough to be a
 * plausible typo, else NULL. */
const char *closest_word(const char *word, const char *const *cands, size_t n);

#endif
