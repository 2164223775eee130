/* Internals shared by the configuration loader's files (conf_*.c). */
#ifndef OSPREY_DAEMON_CONF_PRIV_H
#define OSPREY_DAEMON_CONF_PRIV_H

#include <libconfig.h>

#include "conf.h"

/* State while turning one parsed file into the model. */
struct pctx {
	struct osp_config *cfg;
	struct conf_errors *errs;
	const char *file;	/* the file being converted (interned in cfg->files) */
	const char *confdir;	/* directory of the main file: relative paths start here */
	/* settings of daemon/logging may come from any file, once */
	struct seen { char *key; struct conf_where at; } *seen;
	size_t n_seen;
};

/* An error located at setting s (its file, line and dotted path). */
void perr(struct pctx *P, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error about a setting missing from group g. */
void perr_missing(struct pctx *P, const config_setting_t *g, const char *key,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
char *setting_path(const config_setting_t *s);

/* Converts every top-level section of one parsed file into P->cfg. */
void conf_parse_root(struct pctx *P, const config_setting_t *root);
/* Checks across sections, once every file has been read. */
void conf_check_all(struct pctx *P);
/* Parses every certificate, private key and CRL file (conn_pki.c). */
void conf_check_pki(struct pctx *P);
/* Fills in defaults for what no file set. */
void conf_defaults(struct osp_config *c);

/* A relative path is taken from the main file's directory. */
char *conf_resolve_path(const struct pctx *P, const char *path);
int conf_check_addr(const char *addr, char *err, size_t errlen);
int conf_parse_ts(const char *text, struct conf_ts *ts, char *err, size_t errlen);
/* A pool's addrs: "10.3.0.0/28", "10.3.0.1-10.3.0.9" or one address:
 * 0 or -1 with err.  conf_pool_family: its AF_INET / AF_INET6, 0 if none. */
int conf_check_pool_addrs(const char *addrs, char *err, size_t errlen);
int conf_pool_family(const char *addrs);

/* Typed access to settings (conf_value.c). Each returns 0 on success and
 * reports a located error and returns -1 when the value is of the wrong type
 * or out of range. */
const char *type_name(const config_setting_t *s);
int want_group(struct pctx *P, const config_setting_t *s);
void check_keys(struct pctx *P, const config_setting_t *g, const char *const *keys, size_t n);
int v_str(struct pctx *P, const config_setting_t *s, const char **out);
int v_strlist(struct pctx *P, const config_setting_t *s, struct strv *out);
int v_int(struct pctx *P, const config_setting_t *s, long long min, long long max,
	  long long *out);
int v_bool(struct pctx *P, const config_setting_t *s, bool *out);
int v_duration(struct pctx *P, const config_setting_t *s, uint32_t *out);
int v_size(struct pctx *P, const config_setting_t *s, uint64_t *out);
int v_enum(struct pctx *P, const config_setting_t *s, const char *const *names, size_t n,
	   int *out);

#endif
