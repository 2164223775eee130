/* ospreyd: the osprey IKE daemon. Runs in the foreground (systemd's way);
 * one libevent loop owns all state. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "engine_glue.h"
#include "log.h"
#include "notify.h"
#include "privs.h"

#define SHUTDOWN_DEADLINE_S 5

struct options {
	const char *config;
	const char *pidfile;
	const char *socket;
	const char *user;
	bool check;
	bool debug;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ospreyd [OPTIONS]\n"
		"\n"
		"  -c, --config FILE     configuration file (default %s)\n"
		"  -t, --check-config    validate the configuration and exit (0 if valid)\n"
		"  -p, --pidfile FILE    write the process id to FILE\n"
		"  -s, --socket PATH     control socket (overrides daemon.control_socket)\n"
		"  -u, --user USER       user to become when started as root (daemon.user)\n"
		"  -d, --debug           log every subsystem at level debug\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this help\n"
		"\n"
		"ospreyd stays in the foreground; SIGHUP reloads, SIGTERM and SIGINT stop it.\n"
		"See ospreyd(8) and osprey.conf(5).\n", OSPREY_CONF_DEFAULT);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 't' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	o->config = OSPREY_CONF_DEFAULT;
	while ((ch = getopt_long(argc, argv, "c:tp:s:u:dVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 't': o->check = true; break;
		case 'p': o->pidfile = optarg; break;
		case 's': o->socket = optarg; break;
		case 'u': o->user = optarg; break;
		case 'd': o->debug = true; break;
		case 'V': printf("ospreyd %s\n", PACKAGE_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ospreyd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->socket && o->socket[0] != '/') {
		fprintf(stderr, "ospreyd: --socket must be an absolute path\n");
		return -1;
	}
	return 0;
}

static void print_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		char *m = conf_error_format(&errs->v[i]);

		fprintf(stderr, "%s\n", m);
		free(m);
	}
}

const char *daemon_ctl_path(const struct ospreyd *d)
{
	return d->ctl_override ? d->ctl_override : d->cfg->daemon.ctl_socket;
}

void daemon_event(struct ospreyd *d, const char *type, json_object *data)
{
	json_object *ev = json_object_new_object();

	json_object_object_add(ev, "event", json_object_new_string(type));
	json_object_object_add(ev, "time", json_object_new_int64(time(NULL)));
	json_object_object_add(ev, "data", data ? data : json_object_new_object());
	ctl_server_broadcast(d->ctl, ev);
	json_object_put(ev);
}

/* Watchers see log messages at notice and above as events. */
static void log_to_watchers(enum log_subsys s, enum log_level l, const struct log_ctx *ctx,
			    const char *msg, void *arg)
{
	struct ospreyd *d = arg;
	json_object *o;

	if (l > LVL_NOTICE || !d->ctl || !ctl_server_watchers(d->ctl))
		return;
	o = json_object_new_object();
	json_object_object_add(o, "subsystem", json_object_new_string(log_subsys_name(s)));
	json_object_object_add(o, "level", json_object_new_string(log_level_name(l)));
	json_object_object_add(o, "message", json_object_new_string(msg));
	if (ctx && ctx->conn)
		json_object_object_add(o, "conn", json_object_new_string(ctx->conn));
	daemon_event(d, "log", o);
}

void daemon_update_status(struct ospreyd *d)
{
	char status[200];

	if (d->engine)
		d->engine->refresh(d->engine_ctx);
	snprintf(status, sizeof(status), "%zu connection%s, %zu IKE SA%s, %zu CHILD SA%s%s",
		 d->cfg->n_conns, d->cfg->n_conns == 1 ? "" : "s", d->sas.n,
		 d->sas.n == 1 ? "" : "s", sa_table_child_count(&d->sas),
		 sa_table_child_count(&d->sas) == 1 ? "" : "s",
		 d->engine ? "" : " (no IKE engine running)");
	notify_status(status);
}

static void apply_logging(const struct osp_config *c, bool debug)
{
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		log_set_level(i, debug ? LVL_DEBUG : c->logging.level[i]);
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if (log_get_level(i) == LVL_KEYS)
			olog(i, LVL_WARNING, "log level 'keys' is set: key material will be logged");
}

/* Settings that only a restart applies; a reload says so rather than
 * pretending to have applied them. */
static void warn_restart_only(const struct ospreyd *d, const struct osp_config *nc)
{
	const struct conf_daemon *o = &d->cfg->daemon, *n = &nc->daemon;

	if (strcmp(n->ctl_socket, o->ctl_socket) && !d->ctl_override)
		olog(LOG_CFG, LVL_WARNING, "daemon.control_socket changed: takes effect on restart");
	if (strcmp(n->user, o->user) || strcmp(n->group, o->group))
		olog(LOG_CFG, LVL_WARNING, "daemon.user or daemon.group changed: takes effect on "
		     "restart");
	if ((n->ctl_group || o->ctl_group) &&
	    (!n->ctl_group || !o->ctl_group || strcmp(n->ctl_group, o->ctl_group)))
		olog(LOG_CFG, LVL_WARNING, "daemon.control_group changed: takes effect on restart");
	if (strcmp(nc->kernel.backend, d->cfg->kernel.backend) ||
	    nc->kernel.record_keys != d->cfg->kernel.record_keys)
		olog(LOG_CFG, LVL_WARNING, "kernel.backend or kernel.record_keys changed: takes "
		     "effect on restart");
	if (n->ike_port != o->ike_port || n->nat_port != o->nat_port)
		olog(LOG_CFG, LVL_WARNING, "daemon.ike_port or daemon.nat_port changed: takes effect "
		     "on restart");
}

int daemon_reload(struct ospreyd *d, const char *who, struct conf_errors *errs,
		  struct conf_diff *diff)
{
	struct osp_config *nc;
	json_object *ev;

	if (d->stopping) {
		conf_err_add(errs, NULL, 0, NULL, "ospreyd is shutting down");
		return -1;
	}
	notify_reloading();
	olog(LOG_CFG, LVL_NOTICE, "reloading %s (requested by %s)", d->config_path, who);
	nc = conf_load(d->config_path, errs);
	if (!nc) {
		for (size_t i = 0; i < errs->n; i++) {
			char *m = conf_error_format(&errs->v[i]);

			olog(LOG_CFG, LVL_ERROR, "%s", m);
			free(m);
		}
		olog(LOG_CFG, LVL_ERROR, "configuration rejected; the previous one keeps running");
		ev = json_object_new_object();
		json_object_object_add(ev, "ok", json_object_new_boolean(0));
		json_object_object_add(ev, "errors", conf_errors_to_json(errs));
		daemon_event(d, "reload", ev);
		notify_ready("Reload rejected; previous configuration running");
		daemon_update_status(d);
		return -1;
	}
	warn_restart_only(d, nc);
	conf_diff(d->cfg, nc, diff);
	/* Removed connections lose their SAs; changed ones apply to new SAs,
	 * so their existing SAs, like every unrelated SA, are left alone. */
	if (diff->removed.n && d->engine)
		d->engine->conns_removed(d->engine_ctx, &diff->removed);
	conf_free(d->cfg);
	d->cfg = nc;
	/* Reopening the log file here is what lets logrotate move it away and
	 * send SIGHUP; a file that cannot be opened leaves the old one in use. */
	if (log_open(nc->logging.target, nc->logging.file))
		olog(LOG_CFG, LVL_ERROR, "cannot open log file %s: %s; still logging to the "
		     "previous target", nc->logging.file, strerror(errno));
	apply_logging(nc, d->debug);
	if (d->engine)
		d->engine->reloaded(d->engine_ctx, diff);
	olog(LOG_CFG, LVL_NOTICE, "configuration reloaded: %zu added, %zu removed, %zu changed, "
	     "%zu unchanged", diff->added.n, diff->removed.n, diff->changed.n, diff->unchanged);
	ev = conf_diff_to_json(diff);
	json_object_object_add(ev, "ok", json_object_new_boolean(1));
	daemon_event(d, "reload", ev);
	notify_ready("Configuration reloaded");
	daemon_update_status(d);
	return 0;
}

static void finish_shutdown(void *arg)
{
	struct ospreyd *d = arg;

	event_base_loopexit(d->base, NULL);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	olog(LOG_IKE, LVL_WARNING, "shutdown did not finish within %d s; exiting anyway",
	     SHUTDOWN_DEADLINE_S);
	finish_shutdown(arg);
}

void daemon_shutdown(struct ospreyd *d, const char *why)
{
	struct timeval dl = { SHUTDOWN_DEADLINE_S, 0 };

	if (d->stopping)
		return;
	d->stopping = true;
	notify_stopping();
	olog(LOG_CFG, LVL_NOTICE, "shutting down (%s)", why);
	daemon_event(d, "shutdown", NULL);
	/* Peers get deletes and the kernel state osprey installed is removed;
	 * a peer that never answers cannot hold the exit past the deadline. */
	d->ev_deadline = evtimer_new(d->base, on_deadline, d);
	evtimer_add(d->ev_deadline, &dl);
	if (d->engine)
		d->engine->shutdown(d->engine_ctx, finish_shutdown, d);
	else
		finish_shutdown(d);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct ospreyd *d = arg;

	if (sig == SIGHUP) {
		struct conf_errors errs = { 0 };
		struct conf_diff diff;

		if (d->stopping)
			return;
		if (daemon_reload(d, "SIGHUP", &errs, &diff) == 0)
			conf_diff_free(&diff);
		conf_errors_free(&errs);
		return;
	}
	daemon_shutdown(d, sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

static void on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	notify_watchdog();
}

/* Written next to the final name and renamed into place: a reader never
 * sees an empty file, and a symbolic link planted at either name (the
 * directory may belong to the unprivileged user) is replaced, not followed. */
static int write_pidfile(const char *path)
{
	char *tmp = xasprintf("%s.tmp", path), buf[32];
	int fd, n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid()), rc = -1;

	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, buf, (size_t)n) == n && fchmod(fd, 0644) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path);
	}
	if (rc < 0) {
		fprintf(stderr, "ospreyd: cannot write pid file %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* Becomes the configured user when started as root. Under systemd the unit
 * starts ospreyd as that user already, with the capabilities it needs. */
static int drop_privileges(struct ospreyd *d, const struct options *o, gid_t *ctl_gid)
{
	const char *user = o->user ? o->user : d->cfg->daemon.user;
	const char *group = o->user ? NULL : d->cfg->daemon.group;
	char err[300];
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0)
		return 0;
	if (privs_lookup(user, group, &uid, &gid, err, sizeof(err)))
		goto fail;
	if (*ctl_gid == (gid_t)-1)
		*ctl_gid = gid;	/* no control_group: the daemon's own group */
	/* The socket should belong to the user the daemon becomes. */
	if (uid && ctl_server_chown(d->ctl, uid, *ctl_gid, err, sizeof(err)))
		goto fail;
	if (privs_drop(uid, gid, err, sizeof(err)))
		goto fail;
	ctl_server_set_access(d->ctl, *ctl_gid);
	olog(LOG_CFG, LVL_INFO, "running as %s (uid %d) with CAP_NET_ADMIN and "
	     "CAP_NET_BIND_SERVICE only", user, (int)uid);
	return 0;
fail:
	olog(LOG_CFG, LVL_ERROR, "%s", err);
	return -1;
}

/* libevent's own warnings go where ospreyd's messages go, but not to
 * watchers: a log callback must not call back into libevent. */
static void libevent_log(int severity, const char *msg)
{
	olog_nohook(LOG_CTL, severity >= EVENT_LOG_ERR ? LVL_ERROR : severity == EVENT_LOG_WARN ?
	     LVL_WARNING : LVL_DEBUG, "libevent: %s", msg);
}

static int run(struct ospreyd *d, const struct options *o)
{
	struct timeval wd;
	gid_t ctl_gid = (gid_t)-1;
	char err[400];

	if (d->cfg->daemon.ctl_group) {
		struct group *gr = getgrnam(d->cfg->daemon.ctl_group);

		if (!gr) {
			olog(LOG_CTL, LVL_ERROR, "no group named '%s'", d->cfg->daemon.ctl_group);
			return 1;
		}
		ctl_gid = gr->gr_gid;
	}
	event_set_log_callback(libevent_log);
	d->base = event_base_new();
	if (!d->base) {
		olog(LOG_CFG, LVL_ERROR, "cannot create the event loop");
		return 1;
	}
	d->ctl = ctl_server_open(d->base, daemon_ctl_path(d), ctl_gid, ctl_dispatch, d, &d->stats,
				 err, sizeof(err));
	if (!d->ctl) {
		olog(LOG_CTL, LVL_ERROR, "%s", err);
		return 1;
	}
	if (o->pidfile) {
		if (write_pidfile(o->pidfile))
			return 1;
		d->pidfile_written = true;
	}
	if (drop_privileges(d, o, &ctl_gid))
		return 1;
	/* Not root (systemd starts ospreyd as its user): without control_group
	 * the socket's group is the daemon's own, and its members may talk. */
	if (geteuid() != 0 && ctl_gid == (gid_t)-1)
		ctl_server_set_access(d->ctl, getegid());
	/* After the privilege drop: the crypto threads must not start with
	 * capabilities the main thread gives up (libcap-ng acts per thread). */
	engine_glue_start(d);
	log_set_hook(log_to_watchers, d);
	signal(SIGPIPE, SIG_IGN);
	d->ev_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	d->ev_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->ev_int = evsignal_new(d->base, SIGINT, on_signal, d);
	if (!d->ev_hup || !d->ev_term || !d->ev_int || event_add(d->ev_hup, NULL) ||
	    event_add(d->ev_term, NULL) || event_add(d->ev_int, NULL)) {
		olog(LOG_CFG, LVL_ERROR, "cannot set up signal handling");
		return 1;
	}
	/* A SIGHUP that came during startup (main() blocked it) is delivered
	 * now, to libevent: it becomes a reload instead of killing us. */
	sigprocmask(SIG_SETMASK, &d->startup_mask, NULL);
	d->watchdog_usec = notify_watchdog_usec();
	if (d->watchdog_usec) {
		/* Half the interval, as sd_watchdog_enabled(3) advises. */
		wd.tv_sec = (time_t)(d->watchdog_usec / 2 / 1000000);
		wd.tv_usec = (suseconds_t)(d->watchdog_usec / 2 % 1000000);
		d->ev_watchdog = event_new(d->base, -1, EV_PERSIST, on_watchdog, d);
		if (!d->ev_watchdog || event_add(d->ev_watchdog, &wd)) {
			olog(LOG_CFG, LVL_ERROR, "cannot set up the watchdog timer");
			return 1;
		}
	}
	d->started = time(NULL);
	olog(LOG_CFG, LVL_NOTICE, "ospreyd %s started: %zu connections, control socket %s%s",
	     PACKAGE_VERSION, d->cfg->n_conns, daemon_ctl_path(d),
	     d->engine ? "" : "; no IKE engine running, so no SA will be negotiated");
	notify_ready("Started");
	daemon_update_status(d);
	if (event_base_dispatch(d->base) < 0) {
		olog(LOG_CFG, LVL_ERROR, "the event loop failed");
		return 1;
	}
	olog(LOG_CFG, LVL_NOTICE, "stopped");
	return 0;
}

static void cleanup(struct ospreyd *d, const struct options *o)
{
	log_set_hook(NULL, NULL);
	engine_glue_free(d);
	ctl_server_close(d->ctl);
	if (d->pidfile_written && unlink(o->pidfile) < 0 && errno != ENOENT)
		olog(LOG_CFG, LVL_WARNING, "cannot remove pid file %s: %s", o->pidfile,
		     strerror(errno));
	if (d->ev_hup)
		event_free(d->ev_hup);
	if (d->ev_term)
		event_free(d->ev_term);
	if (d->ev_int)
		event_free(d->ev_int);
	if (d->ev_watchdog)
		event_free(d->ev_watchdog);
	if (d->ev_deadline)
		event_free(d->ev_deadline);
	if (d->base)
		event_base_free(d->base);
	conf_free(d->cfg);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct conf_errors errs = { 0 };
	struct ospreyd d = { 0 };
	int rc;

	if (parse_args(argc, argv, &o))
		return 2;
	if (!o.check) {
		/* Until the event loop handles it, SIGHUP (logrotate, a quick
		 * systemctl reload) must not kill the starting daemon. */
		sigset_t hup;

		sigemptyset(&hup);
		sigaddset(&hup, SIGHUP);
		sigprocmask(SIG_BLOCK, &hup, &d.startup_mask);
	}
	d.config_path = (char *)o.config;
	d.ctl_override = (char *)o.socket;
	d.cfg = conf_load(o.config, &errs);
	if (o.check) {
		print_errors(&errs);
		if (d.cfg)
			printf("%s: configuration OK (%zu connections, %zu secrets, %zu authorities, "
			       "%zu files)\n", o.config, d.cfg->n_conns, d.cfg->n_secrets,
			       d.cfg->n_authorities, d.cfg->files.n);
		else
			fprintf(stderr, "%s: %zu error%s; configuration NOT valid\n", o.config, errs.n,
				errs.n == 1 ? "" : "s");
		rc = d.cfg ? 0 : 1;
		conf_free(d.cfg);
		conf_errors_free(&errs);
		return rc;
	}
	if (!d.cfg) {
		print_errors(&errs);
		fprintf(stderr, "ospreyd: not starting: %s has %zu error%s\n", o.config, errs.n,
			errs.n == 1 ? "" : "s");
		conf_errors_free(&errs);
		return 1;
	}
	if (log_open(d.cfg->logging.target, d.cfg->logging.file)) {
		fprintf(stderr, "ospreyd: cannot open log file %s: %s\n", d.cfg->logging.file,
			strerror(errno));
		conf_free(d.cfg);
		return 1;
	}
	d.debug = o.debug;
	apply_logging(d.cfg, o.debug);
	rc = run(&d, &o);
	cleanup(&d, &o);
	log_close();
	return rc;
}
