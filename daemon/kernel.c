/* The kernel backends built into ospreyd, and helpers they share. */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "crypto/transforms.h"
#include "kernel.h"

const struct kernel_ops *kernel_backend(const char *name)
{
	static const struct kernel_ops *const all[] = { &kernel_xfrm_ops, &kernel_dryrun_ops };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

const char *kernel_alg_name(unsigned type, unsigned id, unsigned bits, char *buf, size_t len)
{
	const struct oc_transform *t = oc_transform_find(type, id, bits);

	if (!t && bits)
		t = oc_transform_find(type, id, 0);
	if (t)
		snprintf(buf, len, "%s", t->keyword);
	else
		snprintf(buf, len, "%u/%u", id, bits);
	return buf;
}
