/* The daemon's address pools (pool.h). */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "util.h"

struct entry {
	char *name, *addrs;
	struct ike_pool *pool;
};

/* One engine per daemon: one registry. */
static struct entry *entries;
static size_t n_entries;

struct ike_pool *pool_registry_get(const struct conf_pool *p, char *err, size_t errlen)
{
	struct ike_pool *pool;

	for (size_t i = n_entries; i-- > 0;)
		if (!strcmp(entries[i].name, p->name) && !strcmp(entries[i].addrs, p->addrs))
			return entries[i].pool;
	pool = ike_pool_new(p->name, p->addrs, err, errlen);
	if (!pool)
		return NULL;
	entries = xrealloc(entries, (n_entries + 1) * sizeof(*entries));
	entries[n_entries].name = xstrdup(p->name);
	entries[n_entries].addrs = xstrdup(p->addrs);
	entries[n_entries].pool = pool;
	n_entries++;
	return pool;
}

struct ike_pool *pool_registry_find(const char *name)
{
	for (size_t i = n_entries; i-- > 0;)
		if (!strcmp(entries[i].name, name))
			return entries[i].pool;
	return NULL;
}

void pool_registry_free(void)
{
	for (size_t i = 0; i < n_entries; i++) {
		ike_pool_free(entries[i].pool);
		free(entries[i].name);
		free(entries[i].addrs);
	}
	free(entries);
	entries = NULL;
	n_entries = 0;
}
