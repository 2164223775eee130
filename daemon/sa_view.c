/* SA views as JSON for the control protocol. */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sa_view.h"

size_t sa_table_child_count(const struct sa_table *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->v[i].n_children;
	return n;
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* SPIs are identifiers, shown as the hex strings every tool prints. */
static void add_spi(json_object *o, const char *k, uint64_t v, int digits)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%0*" PRIx64, digits, v);
	add_str(o, k, buf);
}

static json_object *child_to_json(const struct child_sa_view *c)
{
	json_object *o = json_object_new_object();

	add_str(o, "name", c->name);
	add_int(o, "unique_id", c->unique_id);
	add_str(o, "state", c->state);
	add_str(o, "mode", c->mode);
	add_spi(o, "spi_in", c->spi_in, 8);
	add_spi(o, "spi_out", c->spi_out, 8);
	add_str(o, "encr", c->encr);
	if (c->integ[0])
		add_str(o, "integ", c->integ);
	if (c->dh[0])
		add_str(o, "dh", c->dh);
	add_int(o, "bytes_in", (int64_t)c->bytes_in);
	add_int(o, "bytes_out", (int64_t)c->bytes_out);
	add_int(o, "packets_in", (int64_t)c->packets_in);
	add_int(o, "packets_out", (int64_t)c->packets_out);
	add_int(o, "idle", c->idle);
	add_int(o, "rekey_in", c->rekey_in);
	add_int(o, "expire_in", c->expire_in);
	add_str(o, "local_ts", c->local_ts);
	add_str(o, "remote_ts", c->remote_ts);
	return o;
}

json_object *ike_sa_view_to_json(const struct ike_sa_view *sa)
{
	json_object *o = json_object_new_object(), *ch = json_object_new_array();

	add_str(o, "conn", sa->conn);
	add_int(o, "unique_id", (int64_t)sa->unique_id);
	add_int(o, "version", sa->version);
	add_str(o, "state", sa->state);
	add_str(o, "role", sa->initiator ? "initiator" : "responder");
	add_str(o, "local_addr", sa->local_addr);
	add_int(o, "local_port", sa->local_port);
	add_str(o, "remote_addr", sa->remote_addr);
	add_int(o, "remote_port", sa->remote_port);
	add_str(o, "local_id", sa->local_id);
	add_str(o, "remote_id", sa->remote_id);
	add_spi(o, "spi_i", sa->spi_i, 16);
	add_spi(o, "spi_r", sa->spi_r, 16);
	add_str(o, "encr", sa->encr);
	if (sa->integ[0])
		add_str(o, "integ", sa->integ);
	add_str(o, "prf", sa->prf);
	add_str(o, "dh", sa->dh);
	add_int(o, "established", sa->established);
	add_int(o, "rekey_in", sa->rekey_in);
	add_int(o, "expire_in", sa->expire_in);
	if (sa->vips[0])
		add_str(o, "vips", sa->vips);
	for (size_t i = 0; i < sa->n_children; i++)
		json_object_array_add(ch, child_to_json(&sa->children[i]));
	json_object_object_add(o, "child_sas", ch);
	return o;
}

json_object *sa_table_to_json(const struct sa_table *t, const char *conn)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (size_t i = 0; i < t->n; i++)
		if (!conn || !strcmp(conn, t->v[i].conn))
			json_object_array_add(a, ike_sa_view_to_json(&t->v[i]));
	json_object_object_add(o, "ike_sas", a);
	return o;
}
