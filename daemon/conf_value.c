/* Typed access to libconfig settings, with located, specific errors. */
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

const char *type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: return "a group { ... }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a number with a fraction";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
	case CONFIG_TYPE_LIST: return "a list ( ... )";
	default: return "an unknown type";
	}
}

int want_group(struct pctx *P, const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_GROUP)
		return 0;
	perr(P, s, "must be a group { ... }, not %s", type_name(s));
	return -1;
}

void check_keys(struct pctx *P, const config_setting_t *g, const char *const *keys, size_t n)
{
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s), *best;
		size_t k;

		for (k = 0; k < n; k++)
			if (!strcmp(keys[k], name))
				break;
		if (k < n)
			continue;
		best = closest_word(name, keys, n);
		if (best)
			perr(P, s, "unknown setting (did you mean '%s'?)", best);
		else
			perr(P, s, "unknown setting");
	}
}

int v_str(struct pctx *P, const config_setting_t *s, const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		perr(P, s, "expected a string in double quotes, got %s", type_name(s));
		return -1;
	}
	*out = config_setting_get_string(s);
	return 0;
}

int v_strlist(struct pctx *P, const config_setting_t *s, struct strv *out)
{
	int t = config_setting_type(s), n;

	if (t == CONFIG_TYPE_STRING) {
		strv_add(out, config_setting_get_string(s));
		return 0;
	}
	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
		perr(P, s, "expected a string or a list of strings, got %s", type_name(s));
		return -1;
	}
	n = config_setting_length(s);
	if (n == 0) {
		perr(P, s, "is an empty list; leave the setting out to get its default");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			perr(P, e, "expected a string, got %s", type_name(e));
			return -1;
		}
		strv_add(out, config_setting_get_string(e));
	}
	return 0;
}

int v_int(struct pctx *P, const config_setting_t *s, long long min, long long max,
	  long long *out)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) {
		perr(P, s, "expected an integer, got %s", type_name(s));
		return -1;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		perr(P, s, "%lld is out of range (%lld to %lld)", v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int v_bool(struct pctx *P, const config_setting_t *s, bool *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		perr(P, s, "expected true or false (without quotes), got %s", type_name(s));
		return -1;
	}
	*out = config_setting_get_bool(s);
	return 0;
}

/* "NUMBER[UNIT]" with the unit's multiplier from units/mult. Returns 0,
 * -1 when the text is not of that form, -2 when the value exceeds max. */
static int scaled(const char *text, const char *units, const uint64_t *mult, uint64_t max,
		  uint64_t *out)
{
	char *end;
	uint64_t v;
	const char *u;

	if (!isdigit((unsigned char)*text))
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (*end && (end[1] || !(u = strchr(units, tolower((unsigned char)*end)))))
		return -1;
	if (errno == ERANGE)
		return -2;
	if (errno)
		return -1;
	if (*end) {
		if (v > max / mult[u - units])
			return -2;
		v *= mult[u - units];
	}
	if (v > max)
		return -2;
	*out = v;
	return 0;
}

int v_duration(struct pctx *P, const config_setting_t *s, uint32_t *out)
{
	static const uint64_t mult[] = { 1, 60, 3600, 86400 };
	uint64_t v;
	long long i;
	int rc;

	if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
		if (v_int(P, s, 0, UINT32_MAX, &i))
			return -1;
		*out = (uint32_t)i;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		perr(P, s, "expected a duration (seconds, or a string like \"4h\"), got %s",
		     type_name(s));
		return -1;
	}
	rc = scaled(config_setting_get_string(s), "smhd", mult, UINT32_MAX, &v);
	if (rc == -2) {
		perr(P, s, "'%s' is too long: a duration may be at most %" PRIu32 " seconds "
		     "(about 136 years)", config_setting_get_string(s), UINT32_MAX);
		return -1;
	}
	if (rc) {
		perr(P, s, "'%s' is not a duration: use seconds or a number followed by "
		     "s, m, h or d, e.g. \"4h\"", config_setting_get_string(s));
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int v_size(struct pctx *P, const config_setting_t *s, uint64_t *out)
{
	static const uint64_t mult[] = { 1024, 1024 * 1024, 1024 * 1024 * 1024ULL };
	long long i;
	int rc;

	if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
		if (v_int(P, s, 0, INT64_MAX, &i))
			return -1;
		*out = (uint64_t)i;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		perr(P, s, "expected a byte count (an integer, or a string like \"500m\" with "
		     "k, m or g), got %s", type_name(s));
		return -1;
	}
	rc = scaled(config_setting_get_string(s), "kmg", mult, INT64_MAX, out);
	if (rc == -2)
		perr(P, s, "'%s' is too large: a byte count may be at most %" PRId64 " (8 EiB)",
		     config_setting_get_string(s), INT64_MAX);
	else if (rc)
		perr(P, s, "'%s' is not a byte count: use an integer, or a number followed by "
		     "k, m or g, e.g. \"500m\"", config_setting_get_string(s));
	return rc ? -1 : 0;
}

int v_enum(struct pctx *P, const config_setting_t *s, const char *const *names, size_t n,
	   int *out)
{
	const char *v, *best;
	char list[256] = "";

	if (v_str(P, s, &v))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, names[i])) {
			*out = (int)i;
			return 0;
		}
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s\"%s\"",
			 i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
	best = closest_word(v, names, n);
	if (best)
		perr(P, s, "unknown value \"%s\" (did you mean \"%s\"?); expected %s", v, best,
		     list);
	else
		perr(P, s, "unknown value \"%s\"; expected %s", v, list);
	return -1;
}
