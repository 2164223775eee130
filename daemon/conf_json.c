/* The configuration as JSON: list-conns shows it, and reload compares
 * connections through it. Secrets never appear here. */
#define _GNU_SOURCE
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "conf_json.h"

static json_object *strv_json(const struct strv *sv)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(a, json_object_new_string(sv->v[i]));
	return a;
}

static json_object *ts_json(const struct conf_ts *ts, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(ts[i].text));
	return a;
}

static json_object *auth_json(const struct conf_auth *a, bool remote)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "auth", json_object_new_string(auth_method_name(a->method)));
	json_object_object_add(o, "id", a->id ? json_object_new_string(a->id) : NULL);
	json_object_object_add(o, "certs", strv_json(&a->certs));
	if (remote)
		json_object_object_add(o, "cacerts", strv_json(&a->cacerts));
	return o;
}

/* "0x2a/0xffffffff", the form parse_mark reads back. */
static json_object *mark_json(uint32_t value, uint32_t mask)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%x/0x%x", value, mask);
	return json_object_new_string(buf);
}

static json_object *child_json(const struct conf_child *ch)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(ch->name));
	json_object_object_add(o, "mode", json_object_new_string(child_mode_name(ch->mode)));
	json_object_object_add(o, "local_ts", ts_json(ch->local_ts, ch->n_local_ts));
	json_object_object_add(o, "remote_ts", ts_json(ch->remote_ts, ch->n_remote_ts));
	if (ch->ah_proposals.n)
		json_object_object_add(o, "ah_proposals", strv_json(&ch->ah_proposals));
	else
		json_object_object_add(o, "esp_proposals", strv_json(&ch->esp_proposals));
	if (ch->mark_in_mask)
		json_object_object_add(o, "mark_in", mark_json(ch->mark_in, ch->mark_in_mask));
	if (ch->mark_out_mask)
		json_object_object_add(o, "mark_out", mark_json(ch->mark_out, ch->mark_out_mask));
	if (ch->if_id_in)
		json_object_object_add(o, "if_id_in", json_object_new_int64(ch->if_id_in));
	if (ch->if_id_out)
		json_object_object_add(o, "if_id_out", json_object_new_int64(ch->if_id_out));
	json_object_object_add(o, "dpd_action",
			       json_object_new_string(dpd_action_name(ch->dpd_action)));
	json_object_object_add(o, "rekey_time", json_object_new_int64(ch->rekey_time));
	json_object_object_add(o, "life_time", json_object_new_int64(ch->life_time));
	json_object_object_add(o, "rekey_bytes", json_object_new_int64((int64_t)ch->rekey_bytes));
	json_object_object_add(o, "life_bytes", json_object_new_int64((int64_t)ch->life_bytes));
	json_object_object_add(o, "start_action",
			       json_object_new_string(start_action_name(ch->start_action)));
	return o;
}

json_object *conn_to_json(const struct conf_conn *cn, bool with_source)
{
	json_object *o = json_object_new_object(), *ch = json_object_new_array();

	json_object_object_add(o, "name", json_object_new_string(cn->name));
	json_object_object_add(o, "version", json_object_new_int(cn->version));
	json_object_object_add(o, "local_addrs", strv_json(&cn->local_addrs));
	json_object_object_add(o, "remote_addrs", strv_json(&cn->remote_addrs));
	json_object_object_add(o, "local_port", json_object_new_int(cn->local_port));
	json_object_object_add(o, "remote_port", json_object_new_int(cn->remote_port));
	json_object_object_add(o, "proposals", strv_json(&cn->proposals));
	json_object_object_add(o, "rekey_time", json_object_new_int64(cn->rekey_time));
	json_object_object_add(o, "life_time", json_object_new_int64(cn->life_time));
	json_object_object_add(o, "dpd_delay", json_object_new_int64(cn->dpd_delay));
	json_object_object_add(o, "dpd_timeout", json_object_new_int64(cn->dpd_timeout));
	json_object_object_add(o, "retransmit_timeout", json_object_new_int64(cn->retransmit_timeout));
	json_object_object_add(o, "retransmit_tries", json_object_new_int64(cn->retransmit_tries));
	json_object_object_add(o, "mobike", json_object_new_boolean(cn->mobike));
	json_object_object_add(o, "encap", json_object_new_boolean(cn->encap));
	json_object_object_add(o, "fragmentation", json_object_new_boolean(cn->fragmentation));
	json_object_object_add(o, "local", auth_json(&cn->local, false));
	json_object_object_add(o, "remote", auth_json(&cn->remote, true));
	if (cn->vips.n)
		json_object_object_add(o, "vips", strv_json(&cn->vips));
	if (cn->pools.n)
		json_object_object_add(o, "pools", strv_json(&cn->pools));
	for (size_t i = 0; i < cn->n_children; i++)
		json_object_array_add(ch, child_json(&cn->children[i]));
	json_object_object_add(o, "children", ch);
	if (with_source) {
		json_object_object_add(o, "file", json_object_new_string(cn->at.file));
		json_object_object_add(o, "line", json_object_new_int(cn->at.line));
	}
	return o;
}

json_object *conf_conns_to_json(const struct osp_config *c)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (size_t i = 0; c && i < c->n_conns; i++)
		json_object_array_add(a, conn_to_json(&c->conns[i], true));
	json_object_object_add(o, "connections", a);
	return o;
}

/* A connection's identity for reload: its settings, not where they were
 * written, so moving it within a file is no change. Secrets are not part of
 * it: they are looked up in the running configuration whenever an SA
 * authenticates, so a changed secret applies to new SAs by itself. */
static bool conn_equal(const struct conf_conn *ca, const struct conf_conn *cb)
{
	json_object *ja = conn_to_json(ca, false), *jb = conn_to_json(cb, false);
	bool eq = !strcmp(json_object_to_json_string(ja), json_object_to_json_string(jb));

	json_object_put(ja);
	json_object_put(jb);
	return eq;
}

/* A pool's range is part of the connections that name it: a new range
 * makes them changed (the new conn version leases from the new range). */
static bool pools_equal(const struct osp_config *oc, const struct osp_config *nc,
			const struct conf_conn *cn)
{
	for (size_t i = 0; i < cn->pools.n; i++) {
		const struct conf_pool *a = conf_find_pool(oc, cn->pools.v[i]);
		const struct conf_pool *b = conf_find_pool(nc, cn->pools.v[i]);

		if (!a || !b || !a->addrs || !b->addrs || strcmp(a->addrs, b->addrs))
			return false;
	}
	return true;
}

void conf_diff(const struct osp_config *old, const struct osp_config *new,
	       struct conf_diff *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; new && i < new->n_conns; i++) {
		const struct conf_conn *o = conf_find_conn(old, new->conns[i].name);

		if (!o)
			strv_add(&d->added, new->conns[i].name);
		else if (!conn_equal(o, &new->conns[i]) || !pools_equal(old, new, &new->conns[i]))
			strv_add(&d->changed, new->conns[i].name);
		else
			d->unchanged++;
	}
	for (size_t i = 0; old && i < old->n_conns; i++)
		if (!conf_find_conn(new, old->conns[i].name))
			strv_add(&d->removed, old->conns[i].name);
}

void conf_diff_free(struct conf_diff *d)
{
	strv_free(&d->added);
	strv_free(&d->removed);
	strv_free(&d->changed);
}

json_object *conf_diff_to_json(const struct conf_diff *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "added", strv_json(&d->added));
	json_object_object_add(o, "removed", strv_json(&d->removed));
	json_object_object_add(o, "changed", strv_json(&d->changed));
	json_object_object_add(o, "unchanged", json_object_new_int64((int64_t)d->unchanged));
	return o;
}

json_object *conf_errors_to_json(const struct conf_errors *e)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < e->n; i++) {
		json_object *o = json_object_new_object();
		char *msg = conf_error_format(&e->v[i]);

		json_object_object_add(o, "file", e->v[i].file ?
				       json_object_new_string(e->v[i].file) : NULL);
		json_object_object_add(o, "line", json_object_new_int(e->v[i].line));
		json_object_object_add(o, "setting", e->v[i].setting ?
				       json_object_new_string(e->v[i].setting) : NULL);
		json_object_object_add(o, "message", json_object_new_string(e->v[i].message));
		json_object_object_add(o, "text", json_object_new_string(msg));
		free(msg);
		json_object_array_add(a, o);
	}
	return a;
}
