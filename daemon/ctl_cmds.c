/* The control protocol's commands. Each takes the request object and returns
 * the reply; argument errors name the argument. */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

#define NO_ENGINE "no IKE engine is running (no kernel backend: see the log), so no SA can be"

static const char *str_arg(json_object *req, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(req, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Whether key is present but not a string: a malformed request, not an
 * omitted argument. */
static bool bad_type(json_object *req, const char *key, json_type want)
{
	json_object *v;

	return json_object_object_get_ex(req, key, &v) && !json_object_is_type(v, want);
}

static void refresh(struct ospreyd *d)
{
	if (d->engine)
		d->engine->refresh(d->engine_ctx);
}

static json_object *cmd_status(struct ospreyd *d, json_object *req)
{
	json_object *o = json_object_new_object();

	refresh(d);

	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "uptime", json_object_new_int64(time(NULL) - d->started));
	json_object_object_add(o, "config", json_object_new_string(d->config_path));
	json_object_object_add(o, "control_socket", json_object_new_string(daemon_ctl_path(d)));
	json_object_object_add(o, "connections", json_object_new_int64((int64_t)d->cfg->n_conns));
	json_object_object_add(o, "ike_sas", json_object_new_int64((int64_t)d->sas.n));
	json_object_object_add(o, "child_sas",
			       json_object_new_int64((int64_t)sa_table_child_count(&d->sas)));
	json_object_object_add(o, "ike_engine", json_object_new_boolean(d->engine != NULL));
	if (d->engine)
		json_object_object_add(o, "engine", d->engine->status(d->engine_ctx));
	json_object_object_add(o, "control_clients",
			       json_object_new_int64((int64_t)ctl_server_clients(d->ctl)));
	json_object_object_add(o, "watchers",
			       json_object_new_int64((int64_t)ctl_server_watchers(d->ctl)));
	return ctl_ok(o);
}

static json_object *cmd_list_sas(struct ospreyd *d, json_object *req)
{
	const char *name = str_arg(req, "name");

	if (bad_type(req, "name", json_type_string))
		return ctl_error("bad request: \"name\" must be a string");
	if (name && !conf_find_conn(d->cfg, name))
		return ctl_error("no connection named '%s'", name);
	refresh(d);
	return ctl_ok(sa_table_to_json(&d->sas, name));
}

/* The IKE SA a terminate/rekey request names: "ike_sa": ID or "name": CONN
 * (every IKE SA of it). Fills ids; returns NULL or an error reply. */
static json_object *select_sas(struct ospreyd *d, json_object *req, const char *verb,
			       uint64_t **ids, size_t *n)
{
	const char *name = str_arg(req, "name");
	json_object *v;

	*ids = NULL;
	*n = 0;
	refresh(d);
	if (bad_type(req, "name", json_type_string) || bad_type(req, "ike_sa", json_type_int))
		return ctl_error("bad request: \"name\" must be a string and \"ike_sa\" an integer");
	if (json_object_object_get_ex(req, "ike_sa", &v)) {
		uint64_t id = (uint64_t)json_object_get_int64(v);

		for (size_t i = 0; i < d->sas.n; i++)
			if (d->sas.v[i].unique_id == id) {
				*ids = xmalloc(sizeof(**ids));
				(*ids)[(*n)++] = id;
				return NULL;
			}
		return ctl_error("no IKE SA with id %" PRIu64, id);
	}
	if (!name)
		return ctl_error("bad request: %s needs \"name\" (a connection) or \"ike_sa\" (an id)",
				 verb);
	if (!conf_find_conn(d->cfg, name))
		return ctl_error("no connection named '%s'", name);
	for (size_t i = 0; i < d->sas.n; i++)
		if (!strcmp(d->sas.v[i].conn, name) &&
		    /* an IKE SA being deleted (or replaced by a rekey) is not rekeyed */
		    (strcmp(verb, "rekey") || !strcmp(d->sas.v[i].state, "ESTABLISHED"))) {
			*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
			(*ids)[(*n)++] = d->sas.v[i].unique_id;
		}
	if (!*n)
		return ctl_error("connection '%s' has no IKE SA to %s", name, verb);
	return NULL;
}

static json_object *act_on_sas(struct ospreyd *d, json_object *req, const char *verb,
			       const char *done_verb, bool rekey)
{
	json_object *e, *done;
	uint64_t *ids;
	size_t n;
	char err[256];

	e = select_sas(d, req, verb, &ids, &n);
	if (e)
		return e;
	if (!d->engine) {
		free(ids);
		return ctl_error(NO_ENGINE " %s", done_verb);
	}
	done = json_object_new_array();
	if (rekey && bad_type(req, "child", json_type_boolean)) {
		free(ids);
		json_object_put(done);
		return ctl_error("bad request: \"child\" must be a boolean");
	}
	for (size_t i = 0; i < n; i++) {
		json_object *cv;
		bool child = rekey && json_object_object_get_ex(req, "child", &cv) &&
			     json_object_get_boolean(cv);
		int rc = child ? d->engine->rekey_children(d->engine_ctx, ids[i], err, sizeof(err)) :
			 rekey ? d->engine->rekey(d->engine_ctx, ids[i], err, sizeof(err)) :
			 d->engine->terminate(d->engine_ctx, ids[i], err, sizeof(err));

		if (rc) {
			uint64_t id = ids[i];

			free(ids);
			json_object_put(done);
			return ctl_error("IKE SA %" PRIu64 ": %s", id, err);
		}
		json_object_array_add(done, json_object_new_int64((int64_t)ids[i]));
	}
	free(ids);
	e = json_object_new_object();
	json_object_object_add(e, "ike_sas", done);
	return ctl_ok(e);
}

static json_object *cmd_initiate(struct ospreyd *d, json_object *req)
{
	const char *name = str_arg(req, "name"), *child = str_arg(req, "child");
	const struct conf_conn *cn;
	char err[256];
	bool found = false;

	if (!name)
		return ctl_error("bad request: initiate needs \"name\", the connection to start");
	cn = conf_find_conn(d->cfg, name);
	if (!cn)
		return ctl_error("no connection named '%s'", name);
	for (size_t i = 0; child && i < cn->n_children; i++)
		found |= !strcmp(cn->children[i].name, child);
	if (child && !found)
		return ctl_error("connection '%s' has no child named '%s'", name, child);
	if (!d->engine)
		return ctl_error(NO_ENGINE " initiated");
	if (d->engine->initiate(d->engine_ctx, cn, child, err, sizeof(err)))
		return ctl_error("cannot initiate '%s': %s", name, err);
	return ctl_ok(NULL);
}

static json_object *cmd_reload(struct ospreyd *d, json_object *req)
{
	struct conf_errors errs = { 0 };
	struct conf_diff diff;
	json_object *r;

	if (daemon_reload(d, "control socket", &errs, &diff)) {
		r = ctl_error("configuration rejected with %zu error%s; the previous configuration "
			      "is still running", errs.n, errs.n == 1 ? "" : "s");
		json_object_object_add(r, "errors", conf_errors_to_json(&errs));
		conf_errors_free(&errs);
		return r;
	}
	r = conf_diff_to_json(&diff);
	conf_diff_free(&diff);
	return ctl_ok(r);
}

static json_object *levels_json(void)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		json_object_object_add(o, log_subsys_names[i],
				       json_object_new_string(log_level_name(log_get_level(i))));
	return o;
}

static json_object *cmd_log_level(struct ospreyd *d, json_object *req)
{
	const char *sub = str_arg(req, "subsystem"), *lvl = str_arg(req, "level");
	enum log_level l;
	int s = -1;
	json_object *ev;

	if (!sub && !lvl)
		return ctl_ok(levels_json());
	if (!sub || !lvl)
		return ctl_error("bad request: log-level needs both \"subsystem\" and \"level\", "
				 "or neither to show the levels");
	if (strcmp(sub, "all") && (s = log_subsys_parse(sub)) < 0) {
		const char *best = closest_word(sub, log_subsys_names, LOG_SUBSYS_COUNT);

		return ctl_error("unknown subsystem '%s'%s%s%s (one of ike, child, net, kernel, cfg, "
				 "ctl, crypto, or all)", sub, best ? " (did you mean '" : "",
				 best ? best : "", best ? "'?)" : "");
	}
	if (log_level_parse(lvl, &l))
		return ctl_error("unknown level '%s' (one of off, error, warning, notice, info, "
				 "debug, keys)", lvl);
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if (s < 0 || s == i)
			log_set_level(i, l);
	olog(LOG_CFG, l == LVL_KEYS ? LVL_WARNING : LVL_NOTICE, "log level of %s set to %s%s", sub,
	     lvl, l == LVL_KEYS ? ": KEY MATERIAL WILL BE LOGGED" : "");
	ev = json_object_new_object();
	json_object_object_add(ev, "subsystem", json_object_new_string(sub));
	json_object_object_add(ev, "level", json_object_new_string(lvl));
	daemon_event(d, "log-level", ev);
	return ctl_ok(levels_json());
}

static json_object *cmd_watch(struct ospreyd *d, struct ctl_client *c)
{
	json_object *o = json_object_new_object();

	ctl_client_watch(c);
	json_object_object_add(o, "watching", json_object_new_boolean(1));
	return ctl_ok(o);
}

static json_object *cmd_list_kernel(struct ospreyd *d)
{
	if (!d->engine)
		return ctl_error("no IKE engine is running, so there is no kernel backend (see the "
				 "log)");
	return ctl_ok(d->engine->kernel_list(d->engine_ctx));
}

static const char *const commands[] = {
	"status", "list-conns", "list-sas", "initiate", "terminate", "rekey", "reload",
	"log-level", "stats", "watch", "list-kernel"
};

json_object *ctl_dispatch(void *arg, struct ctl_client *c, json_object *req)
{
	struct ospreyd *d = arg;
	const char *cmd = str_arg(req, "command"), *best;

	if (!cmd)
		return ctl_error("bad request: no \"command\" string");
	olog(LOG_CTL, LVL_DEBUG, "request: %s", cmd);
	if (!strcmp(cmd, "status"))
		return cmd_status(d, req);
	if (!strcmp(cmd, "list-conns"))
		return ctl_ok(conf_conns_to_json(d->cfg));
	if (!strcmp(cmd, "list-sas"))
		return cmd_list_sas(d, req);
	if (!strcmp(cmd, "initiate"))
		return cmd_initiate(d, req);
	if (!strcmp(cmd, "terminate"))
		return act_on_sas(d, req, "terminate", "terminated", false);
	if (!strcmp(cmd, "rekey"))
		return act_on_sas(d, req, "rekey", "rekeyed", true);
	if (!strcmp(cmd, "reload"))
		return cmd_reload(d, req);
	if (!strcmp(cmd, "log-level"))
		return cmd_log_level(d, req);
	if (!strcmp(cmd, "stats")) {
		refresh(d); /* copies the engine's counters in */
		return ctl_ok(stats_to_json(&d->stats));
	}
	if (!strcmp(cmd, "watch"))
		return cmd_watch(d, c);
	if (!strcmp(cmd, "list-kernel"))
		return cmd_list_kernel(d);
	d->stats.ctl_bad_requests++;
	best = closest_word(cmd, commands, sizeof(commands) / sizeof(commands[0]));
	if (best)
		return ctl_error("unknown command '%s' (did you mean '%s'?)", cmd, best);
	return ctl_error("unknown command '%s'", cmd);
}
