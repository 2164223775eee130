/* The daemon's state: one libevent loop owns all of it. */
#ifndef OSPREY_DAEMON_DAEMON_H
#define OSPREY_DAEMON_DAEMON_H

#include <event2/event.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conf.h"
#include "conf_json.h"
#include "ctl_server.h"
#include "sa_view.h"
#include "stats.h"

/* The IKE engine's entry points (engine_glue.c). NULL when no engine runs
 * (no kernel backend): commands that need it answer with an error saying
 * so, never with a pretend success. */
struct engine_ops {
	int (*initiate)(void *ctx, const struct conf_conn *conn, const char *child, char *err,
			size_t errlen);
	int (*terminate)(void *ctx, uint64_t ike_sa, char *err, size_t errlen);
	int (*rekey)(void *ctx, uint64_t ike_sa, char *err, size_t errlen);
	/* Rekeys every CHILD SA of the IKE SA. */
	int (*rekey_children)(void *ctx, uint64_t ike_sa, char *err, size_t errlen);
	/* After a reload: close the SAs of connections that are gone. */
	void (*conns_removed)(void *ctx, const struct strv *names);
	/* After a good reload (d->cfg is the new one): load added/changed conns. */
	void (*reloaded)(void *ctx, const struct conf_diff *diff);
	/* Brings the SA view (struct ospreyd.sas) up to date. */
	void (*refresh)(void *ctx);
	/* `list-kernel`: what the kernel backend holds. */
	json_object *(*kernel_list)(void *ctx);
	/* Extra fields for `status`. */
	json_object *(*status)(void *ctx);
	/* Shutdown: send deletes, remove installed kernel state. Calls done()
	 * when finished; the daemon exits after done() or the deadline. */
	void (*shutdown)(void *ctx, void (*done)(void *arg), void *arg);
};

struct ospreyd {
	struct event_base *base;
	char *config_path;
	struct osp_config *cfg;
	struct sa_table sas;		/* filled by the engine */
	struct osprey_stats stats;
	struct ctl_server *ctl;
	const struct engine_ops *engine;
	void *engine_ctx;
	time_t started;
	bool stopping;
	int exit_code;
	struct event *ev_hup, *ev_term, *ev_int, *ev_watchdog, *ev_deadline;
	uint64_t watchdog_usec;
	char *ctl_override;		/* --socket */
	bool debug;			/* --debug: every level stays at debug */
	sigset_t startup_mask;		/* the signal mask before SIGHUP was blocked */
	bool pidfile_written;
};

/* Reloads the configuration file. On errors the running configuration is
 * kept and errs says why; else diff says what changed. who is for the log. */
int daemon_reload(struct ospreyd *d, const char *who, struct conf_errors *errs,
		  struct conf_diff *diff);
void daemon_shutdown(struct ospreyd *d, const char *why);
void daemon_update_status(struct ospreyd *d);
/* Sends an event to `ospreyctl watch` clients; takes ownership of data. */
void daemon_event(struct ospreyd *d, const char *type, json_object *data);
const char *daemon_ctl_path(const struct ospreyd *d);

/* The control protocol's commands (ctl_cmds.c). */
json_object *ctl_dispatch(void *arg, struct ctl_client *c, json_object *req);

#endif
