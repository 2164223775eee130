/* The configuration as JSON, and what a reload changes. */
#ifndef OSPREY_DAEMON_CONF_JSON_H
#define OSPREY_DAEMON_CONF_JSON_H

#include <json-c/json.h>

#include "conf.h"

json_object *conn_to_json(const struct conf_conn *cn, bool with_source);
json_object *conf_conns_to_json(const struct osp_config *c);
json_object *conf_errors_to_json(const struct conf_errors *e);

/* Connection names by what a reload does to them. */
struct conf_diff {
	struct strv added, removed, changed;
	size_t unchanged;
};

void conf_diff(const struct osp_config *old, const struct osp_config *new,
	       struct conf_diff *d);
void conf_diff_free(struct conf_diff *d);
json_object *conf_diff_to_json(const struct conf_diff *d);

#endif
