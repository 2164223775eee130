/* Reading osprey.conf: files, @include, libconfig parsing, error lists.
 *
 * libconfig 1.5 (Debian 12) cannot include a directory or a glob, so osprey
 * handles top-level `@include "PATH"` lines itself: it blanks them out (line
 * numbers stay true), lets libconfig parse each file on its own, and merges
 * the files' sections by name. PATH may be a glob (conf.d, star, .conf);
 * its files are read in sorted order, and a glob matching nothing is fine
 * (an empty conf.d/ is normal). */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_priv.h"

#define MAX_FILE_SIZE (1 << 20)
#define MAX_INCLUDE_DEPTH 8
#define MAX_FILES 256
#define MAX_ERRORS 200

void conf_err_add(struct conf_errors *e, const char *file, int line, const char *setting,
		  const char *fmt, ...)
{
	struct conf_error *err;
	va_list ap;

	if (e->n >= MAX_ERRORS)
		return;
	e->v = xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
	err = &e->v[e->n++];
	err->file = file ? xstrdup(file) : NULL;
	err->line = line;
	err->setting = setting ? xstrdup(setting) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&err->message, fmt, ap) < 0)
		abort();
	va_end(ap);
}

void conf_errors_free(struct conf_errors *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].file);
		free(e->v[i].setting);
		free(e->v[i].message);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

char *conf_error_format(const struct conf_error *e)
{
	char loc[PATH_MAX + 32] = "";

	if (e->file && e->line)
		snprintf(loc, sizeof(loc), "%s:%d: ", e->file, e->line);
	else if (e->file)
		snprintf(loc, sizeof(loc), "%s: ", e->file);
	return xasprintf("%s%s%s%s", loc, e->setting ? e->setting : "",
			 e->setting ? ": " : "", e->message);
}

char *setting_path(const config_setting_t *s)
{
	char *path = xstrdup("");

	for (; s && config_setting_parent(s); s = config_setting_parent(s)) {
		char *n;

		if (config_setting_name(s))
			n = xasprintf("%s%s%s", config_setting_name(s), *path && *path != '[' ? "." : "",
				      path);
		else
			n = xasprintf("[%d]%s%s", config_setting_index(s),
				      *path && *path != '[' ? "." : "", path);
		free(path);
		path = n;
	}
	return path;
}

static void vperr(struct pctx *P, const config_setting_t *s, const char *key,
		  const char *fmt, va_list ap)
{
	char *path = setting_path(s), *msg, *full;

	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	full = key ? xasprintf("%s%s%s", path, *path ? "." : "", key) : xstrdup(path);
	conf_err_add(P->errs, P->file, config_setting_source_line(s), full, "%s", msg);
	free(full);
	free(msg);
	free(path);
}

void perr(struct pctx *P, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vperr(P, s, NULL, fmt, ap);
	va_end(ap);
}

void perr_missing(struct pctx *P, const config_setting_t *g, const char *key,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vperr(P, g, key, fmt, ap);
	va_end(ap);
}

char *conf_resolve_path(const struct pctx *P, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	return xasprintf("%s/%s", P->confdir, path);
}

static char *dir_of(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');

	if (!slash) {
		free(d);
		return xstrdup(".");
	}
	if (slash == d)
		slash[1] = '\0';
	else
		*slash = '\0';
	return d;
}

/* Reads a whole configuration file. No FIFOs: one would block a reload
 * forever; devices are read without blocking (/dev/null is an empty file).
 * No stdio, so no copy of a secret stays behind in a FILE buffer. */
static char *read_file(const char *path, struct conf_errors *errs, const char *from, int line)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	const char *what = NULL;
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	if (fd < 0) {
		if (from)
			conf_err_add(errs, from, line, NULL, "cannot open included file %s: %s",
				     path, strerror(errno));
		else
			conf_err_add(errs, path, 0, NULL, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0)
		what = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		what = "is a directory; to include the files in it, write @include \"DIR/*.conf\"";
	else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))	/* /dev/null is fine */
		what = "is not a regular file (a FIFO or socket would block a reload)";
	else if (st.st_size > MAX_FILE_SIZE)
		what = "larger than 1 MiB; this is not a configuration file";
	if (!what) {
		buf = xmalloc(MAX_FILE_SIZE + 1);
		for (;;) {
			ssize_t r = read(fd, buf + n, MAX_FILE_SIZE + 1 - n);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				what = strerror(errno);
				break;
			}
			if (r == 0)
				break;
			n += (size_t)r;
			if (n > MAX_FILE_SIZE) {
				what = "larger than 1 MiB; this is not a configuration file";
				break;
			}
		}
	}
	close(fd);
	if (!what && n >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') ||
				(buf[0] == '\xfe' && buf[1] == '\xff')))
		what = "is UTF-16 encoded; save it as UTF-8 (or ASCII)";
	else if (!what && memchr(buf, '\0', n))
		what = "contains NUL bytes; this is not a text file";
	if (what) {
		conf_err_add(errs, path, 0, NULL, "%s", what);
		if (buf) {
			explicit_bzero(buf, n);
			free(buf);
		}
		return NULL;
	}
	buf[n] = '\0';
	/* A UTF-8 byte order mark (some Windows editors write one) would be a
	 * syntax error for libconfig; blank it. */
	if (n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		memset(buf, ' ', 3);
	return buf;
}

/* libconfig keeps its own copies of the strings it parsed; wipe the
 * pre-shared keys among them before config_destroy() frees them. */
static void wipe_secrets(config_t *lc)
{
	config_setting_t *secrets = config_lookup(lc, "secrets");

	for (int i = 0; secrets && config_setting_is_group(secrets) &&
	     i < config_setting_length(secrets); i++) {
		config_setting_t *g = config_setting_get_elem(secrets, i);
		config_setting_t *v = config_setting_is_group(g) ?
			config_setting_get_member(g, "secret") : NULL;

		if (v && config_setting_type(v) == CONFIG_TYPE_STRING) {
			char *p = (char *)config_setting_get_string(v);

			explicit_bzero(p, strlen(p));
		}
	}
}

struct include {
	char *pattern;
	int line;
};

/* Finds `@include "X"` lines, records them and blanks them out. A line that
 * mentions @include in any other form is an error rather than a surprise. */
static int take_includes(char *text, const char *file, struct include **incs, size_t *n,
			 struct conf_errors *errs)
{
	int line = 1, bad = 0;

	for (char *p = text; *p; line++) {
		char *eol = strchr(p, '\n'), *s = p, *q, *end;

		if (!eol)
			eol = p + strlen(p);
		while (s < eol && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(eol - s) >= 8 && !strncmp(s, "@include", 8)) {
			q = s + 8;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			end = q < eol && *q == '"' ? memchr(q + 1, '"', eol - q - 1) : NULL;
			if (end) {
				char *r = end + 1;

				while (r < eol && (*r == ' ' || *r == '\t' || *r == '\r'))
					r++;
				if (r < eol && *r != '#' && strncmp(r, "//", 2))
					end = NULL;
			}
			if (!end || end == q + 1) {
				conf_err_add(errs, file, line, NULL,
					     "malformed @include: expected @include \"PATH\" "
					     "(a file or a glob such as \"conf.d/*.conf\")");
				bad = 1;
			} else {
				size_t len = (size_t)(end - q - 1);

				*incs = xrealloc(*incs, (*n + 1) * sizeof(**incs));
				(*incs)[*n].pattern = xmalloc(len + 1);
				memcpy((*incs)[*n].pattern, q + 1, len);
				(*incs)[*n].pattern[len] = '\0';
				(*incs)[*n].line = line;
				(*n)++;
			}
			memset(p, ' ', eol - p);
		}
		p = *eol ? eol + 1 : eol;
	}
	return bad ? -1 : 0;
}

static const char *intern_file(struct osp_config *c, const char *path)
{
	strv_add(&c->files, path);
	return c->files.v[c->files.n - 1];
}

static void load_file(struct pctx *P, const char *path, int depth, const char *from, int line);

/* A directory that does not exist matches nothing; one that cannot be read
 * is an error, since silently skipping it would drop connections. */
static int glob_error(const char *path __attribute__((unused)), int err)
{
	return err != ENOENT && err != ENOTDIR;
}

static void load_includes(struct pctx *P, const char *file, struct include *incs, size_t n,
			  int depth)
{
	char *dir = dir_of(file);

	for (size_t i = 0; i < n; i++) {
		char *pat = incs[i].pattern[0] == '/' ? xstrdup(incs[i].pattern) :
			xasprintf("%s/%s", dir, incs[i].pattern);
		bool magic = strpbrk(incs[i].pattern, "*?[") != NULL;
		glob_t g;
		int rc;

		if (!magic) {
			load_file(P, pat, depth + 1, file, incs[i].line);
			free(pat);
			continue;
		}
		rc = glob(pat, 0, glob_error, &g);
		if (rc == 0) {
			for (size_t j = 0; j < g.gl_pathc; j++)
				load_file(P, g.gl_pathv[j], depth + 1, file, incs[i].line);
		} else if (rc != GLOB_NOMATCH) {
			conf_err_add(P->errs, file, incs[i].line, NULL,
				     "cannot read the files matching %s", pat);
		}
		if (rc != GLOB_NOMATCH)
			globfree(&g);
		free(pat);
	}
	free(dir);
}

static void load_file(struct pctx *P, const char *path, int depth, const char *from, int line)
{
	struct include *incs = NULL;
	size_t n_incs = 0;
	char *text, real[PATH_MAX];
	config_t lc;

	if (depth > MAX_INCLUDE_DEPTH) {
		conf_err_add(P->errs, from, line, NULL, "includes nested deeper than %d levels",
			     MAX_INCLUDE_DEPTH);
		return;
	}
	if (P->cfg->files.n >= MAX_FILES) {
		conf_err_add(P->errs, from, line, NULL, "more than %d configuration files",
			     MAX_FILES);
		return;
	}
	if (realpath(path, real)) {
		/* A file read twice would define everything twice; a cycle
		 * would never end. Both are mistakes worth naming. */
		for (size_t i = 0; i < P->cfg->files.n; i++) {
			char other[PATH_MAX];

			if (realpath(P->cfg->files.v[i], other) && !strcmp(other, real)) {
				conf_err_add(P->errs, from, line, NULL,
					     "%s is included more than once (an include loop?)",
					     path);
				return;
			}
		}
	}
	text = read_file(path, P->errs, from, line);
	if (!text)
		return;
	path = intern_file(P->cfg, path);
	if (take_includes(text, path, &incs, &n_incs, P->errs) == 0) {
		config_init(&lc);
		if (config_read_string(&lc, text) == CONFIG_TRUE) {
			const char *saved = P->file;

			P->file = path;
			conf_parse_root(P, config_root_setting(&lc));
			P->file = saved;
		} else {
			const char *t = config_error_text(&lc);

			/* libconfig says just "syntax error"; say what the syntax is. */
			conf_err_add(P->errs, path, config_error_line(&lc), NULL, "%s%s", t,
				     strcmp(t, "syntax error") ? "" : " (expected name = value; "
				     "with groups written name = { ... }; and lists [ \"a\", \"b\" ])");
		}
		wipe_secrets(&lc);
		config_destroy(&lc);
		load_includes(P, path, incs, n_incs, depth);
	}
	for (size_t i = 0; i < n_incs; i++)
		free(incs[i].pattern);
	free(incs);
	explicit_bzero(text, strlen(text));	/* it holds the pre-shared keys */
	free(text);
}

struct osp_config *conf_load(const char *path, struct conf_errors *errs)
{
	struct osp_config *c = xcalloc(1, sizeof(*c));
	struct pctx P = { .cfg = c, .errs = errs };
	char *dir = dir_of(path);

	c->main_file = xstrdup(path);
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		c->logging.level[i] = (enum log_level)-2;	/* unset */
	P.confdir = dir;
	load_file(&P, path, 0, NULL, 0);
	if (!errs->n) {
		conf_defaults(c);
		conf_check_all(&P);
	}
	for (size_t i = 0; i < P.n_seen; i++)
		free(P.seen[i].key);
	free(P.seen);
	free(dir);
	if (errs->n) {
		conf_free(c);
		return NULL;
	}
	return c;
}

const struct conf_conn *conf_find_conn(const struct osp_config *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_conns; i++)
		if (!strcmp(c->conns[i].name, name))
			return &c->conns[i];
	return NULL;
}

const struct conf_pool *conf_find_pool(const struct osp_config *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_pools; i++)
		if (!strcmp(c->pools[i].name, name))
			return &c->pools[i];
	return NULL;
}

static void free_auth(struct conf_auth *a)
{
	free(a->id);
	strv_free(&a->certs);
	strv_free(&a->cacerts);
}

void conf_free(struct osp_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_conns; i++) {
		struct conf_conn *cn = &c->conns[i];

		for (size_t j = 0; j < cn->n_children; j++) {
			free(cn->children[j].name);
			free(cn->children[j].local_ts);
			free(cn->children[j].remote_ts);
			strv_free(&cn->children[j].esp_proposals);
			strv_free(&cn->children[j].ah_proposals);
		}
		free(cn->children);
		free(cn->name);
		strv_free(&cn->local_addrs);
		strv_free(&cn->remote_addrs);
		strv_free(&cn->proposals);
		free_auth(&cn->local);
		free_auth(&cn->remote);
		strv_free(&cn->vips);
		strv_free(&cn->pools);
	}
	free(c->conns);
	for (size_t i = 0; i < c->n_pools; i++) {
		free(c->pools[i].name);
		free(c->pools[i].addrs);
	}
	free(c->pools);
	for (size_t i = 0; i < c->n_secrets; i++) {
		struct conf_secret *s = &c->secrets[i];

		if (s->secret)
			explicit_bzero(s->secret, s->secret_len);
		free(s->secret);
		free(s->name);
		free(s->file);
		strv_free(&s->ids);
	}
	free(c->secrets);
	for (size_t i = 0; i < c->n_authorities; i++) {
		free(c->authorities[i].name);
		free(c->authorities[i].cacert);
		strv_free(&c->authorities[i].crl_uris);
		strv_free(&c->authorities[i].crls);
	}
	free(c->authorities);
	free(c->daemon.user);
	free(c->daemon.group);
	free(c->daemon.ctl_socket);
	free(c->daemon.ctl_group);
	free(c->kernel.backend);
	free(c->kernel.vip_interface);
	free(c->logging.file);
	strv_free(&c->files);
	free(c->main_file);
	free(c);
}

const char *auth_method_name(enum auth_method m)
{
	return m == AUTH_PSK ? "psk" : "pubkey";
}

const char *child_mode_name(enum child_mode m)
{
	return m == MODE_TRANSPORT ? "transport" : "tunnel";
}

const char *dpd_action_name(enum dpd_action a)
{
	return a == DPD_TRAP ? "trap" : a == DPD_RESTART ? "restart" : "clear";
}

const char *start_action_name(enum start_action a)
{
	return a == START_TRAP ? "trap" : a == START_START ? "start" : "none";
}
