/* The control socket: accepting, authorising and timing out clients, and
 * framing JSON lines. No client can stall the daemon: sockets are
 * non-blocking, idle clients time out, and a client that stops reading is
 * dropped once its unread output passes a limit. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "ctl_server.h"
#include "log.h"
#include "util.h"

#define MAX_CLIENTS 64
#define MAX_REQUEST (64 * 1024)
#define MAX_PENDING_OUTPUT (1024 * 1024)
#define IDLE_TIMEOUT_S 60
#define WRITE_TIMEOUT_S 10

struct ctl_client {
	struct ctl_server *srv;
	struct bufferevent *bev;
	struct ctl_client *next;
	pid_t pid;
	uid_t uid;
	int watch;
	int closing;		/* close once the output is flushed */
};

struct ctl_server {
	struct event_base *base;
	struct evconnlistener *listener;
	char *path, *lock_path;
	int lock_fd;
	gid_t gid;
	ctl_handler handler;
	void *arg;
	struct osprey_stats *stats;
	struct ctl_client *clients;
	size_t n_clients;
};

json_object *ctl_ok(json_object *result)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "result", result ? result : json_object_new_object());
	return o;
}

json_object *ctl_error(const char *fmt, ...)
{
	json_object *o = json_object_new_object();
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return o;
}

static void client_free(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;

	for (struct ctl_client **pp = &s->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	s->n_clients--;
	bufferevent_free(c->bev);
	free(c);
}

static void client_send(struct ctl_client *c, json_object *o)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	if (evbuffer_get_length(out) > MAX_PENDING_OUTPUT) {
		/* It stopped reading; holding more for it would grow without bound. */
		olog(LOG_CTL, LVL_NOTICE, "dropping control client pid %d: not reading its output",
		     (int)c->pid);
		c->closing = 1;
		return;
	}
	evbuffer_add(out, text, strlen(text));
	evbuffer_add(out, "\n", 1);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct ctl_client *c = arg;

	if (c->closing)
		client_free(c);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct ctl_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t len;

	while (!c->closing && (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF))) {
		enum json_tokener_error jerr;
		json_object *req, *reply;

		c->srv->stats->ctl_requests++;
		req = json_tokener_parse_verbose(line, &jerr);
		if (!req || !json_object_is_type(req, json_type_object)) {
			c->srv->stats->ctl_bad_requests++;
			reply = req ? ctl_error("bad request: expected a JSON object") :
				ctl_error("bad request: invalid JSON (%s)", json_tokener_error_desc(jerr));
		} else {
			reply = c->srv->handler(c->srv->arg, c, req);
		}
		json_object_put(req);
		free(line);
		if (reply) {
			client_send(c, reply);
			json_object_put(reply);
		}
	}
	if (!c->closing && evbuffer_get_length(in) > MAX_REQUEST) {
		json_object *e = ctl_error("bad request: longer than %d bytes without a newline",
					   MAX_REQUEST);

		c->srv->stats->ctl_bad_requests++;
		client_send(c, e);
		json_object_put(e);
		c->closing = 1;
	}
	if (c->closing && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(c);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client *c = arg;

	if (what & BEV_EVENT_TIMEOUT) {
		c->srv->stats->ctl_timeouts++;
		olog(LOG_CTL, LVL_INFO, "control client pid %d timed out (%s)", (int)c->pid,
		     what & BEV_EVENT_READING ? "idle" : "not reading");
	}
	client_free(c);
}

/* Root, the daemon's own user, and the socket's group may talk to it. The
 * file mode already says so; checking the peer's credentials too means a
 * socket made accessible by mistake (a chmod, a bind mount) stays closed. */
static int authorised(struct ctl_server *s, int fd, struct ucred *cr)
{
	socklen_t len = sizeof(*cr);
	gid_t groups[256];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &len) < 0)
		return 0;
	if (cr->uid == 0 || cr->uid == geteuid())
		return 1;
	if (s->gid == (gid_t)-1)
		return 0;
	if (cr->gid == s->gid)
		return 1;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == 0)
		for (size_t i = 0; i < len / sizeof(gid_t); i++)
			if (groups[i] == s->gid)
				return 1;
	return 0;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		      int salen, void *arg)
{
	struct ctl_server *s = arg;
	struct timeval idle = { IDLE_TIMEOUT_S, 0 }, wr = { WRITE_TIMEOUT_S, 0 };
	struct ucred cr = { 0 };
	struct ctl_client *c;
	json_object *e = NULL;

	c = xcalloc(1, sizeof(*c));
	c->srv = s;
	c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		free(c);
		return;
	}
	c->next = s->clients;
	s->clients = c;
	s->n_clients++;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_set_timeouts(c->bev, &idle, &wr);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (!authorised(s, fd, &cr)) {
		s->stats->ctl_refused++;
		olog(LOG_CTL, LVL_NOTICE, "refused control client pid %d uid %d: not authorised",
		     (int)cr.pid, (int)cr.uid);
		e = ctl_error("permission denied: uid %d is neither root, ospreyd's user nor in "
			      "the control group", (int)cr.uid);
	} else if (s->n_clients > MAX_CLIENTS) {
		s->stats->ctl_refused++;
		e = ctl_error("too many control clients (%d); try again later", MAX_CLIENTS);
	}
	c->pid = cr.pid;
	c->uid = cr.uid;
	if (e) {
		client_send(c, e);
		json_object_put(e);
		c->closing = 1;
	}
}

/* Another ospreyd holding the lock means this one must not start; its pid
 * is in the lock file for the message. */
static int take_lock(struct ctl_server *s, char *err, size_t errlen)
{
	char buf[32];
	ssize_t n;

	s->lock_fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0) {
		snprintf(err, errlen, "cannot open lock file %s: %s", s->lock_path, strerror(errno));
		return -1;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		n = pread(s->lock_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(err, errlen, "another ospreyd (pid %s) is already running on control "
			 "socket %s", *buf ? buf : "unknown", s->path);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(s->lock_fd, 0) < 0 || pwrite(s->lock_fd, buf, n, 0) != n) {
		snprintf(err, errlen, "cannot write lock file %s: %s", s->lock_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int make_socket(struct ctl_server *s, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, rc;

	if (strlen(s->path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path %s is too long", s->path);
		return -1;
	}
	strcpy(sun.sun_path, s->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* We hold the lock, so a socket file left behind is stale. */
	unlink(s->path);
	old = umask(0117);	/* born 0660: no window where others may connect */
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "cannot bind control socket %s: %s", s->path, strerror(errno));
		close(fd);
		return -1;
	}
	/* chown only when needed: under systemd the socket is born with the
	 * service's group, and the unit's system call filter forbids chown. */
	if (s->gid != (gid_t)-1 && (stat(s->path, &st) < 0 || st.st_gid != s->gid) &&
	    chown(s->path, (uid_t)-1, s->gid) < 0) {
		snprintf(err, errlen, "cannot give control socket %s to group %d: %s", s->path,
			 (int)s->gid, strerror(errno));
		close(fd);
		return -1;
	}
	if (chmod(s->path, 0660) < 0 || listen(fd, 16) < 0) {
		snprintf(err, errlen, "control socket %s: %s", s->path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct ctl_server *ctl_server_open(struct event_base *base, const char *path, gid_t gid,
				   ctl_handler handler, void *arg, struct osprey_stats *stats,
				   char *err, size_t errlen)
{
	struct ctl_server *s = xcalloc(1, sizeof(*s));
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	s->base = base;
	s->path = xstrdup(path);
	s->lock_path = xasprintf("%s.lock", path);
	s->lock_fd = -1;
	s->gid = gid;
	s->handler = handler;
	s->arg = arg;
	s->stats = stats;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			goto fail;
		}
	}
	if (take_lock(s, err, errlen))
		goto fail;
	fd = make_socket(s, err, errlen);
	if (fd < 0)
		goto fail;
	s->listener = evconnlistener_new(base, on_accept, s, LEV_OPT_CLOSE_ON_FREE, -1, fd);
	if (!s->listener) {
		snprintf(err, errlen, "cannot listen on %s", path);
		close(fd);
		goto fail;
	}
	free(dir);
	return s;
fail:
	free(dir);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s->lock_path);
	free(s);
	return NULL;
}

void ctl_server_set_access(struct ctl_server *s, gid_t gid)
{
	s->gid = gid;
}

void ctl_server_close(struct ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_free(s->clients);
	evconnlistener_free(s->listener);
	unlink(s->path);
	close(s->lock_fd);
	free(s->path);
	free(s->lock_path);
	free(s);
}

void ctl_client_watch(struct ctl_client *c)
{
	struct timeval wr = { WRITE_TIMEOUT_S, 0 };

	c->watch = 1;
	bufferevent_set_timeouts(c->bev, NULL, &wr);
}

void ctl_server_broadcast(struct ctl_server *s, json_object *event)
{
	struct ctl_client *c, *next;

	if (!s)
		return;
	for (c = s->clients; c; c = next) {
		next = c->next;
		if (c->watch && !c->closing) {
			client_send(c, event);
			if (c->closing && !evbuffer_get_length(bufferevent_get_output(c->bev)))
				client_free(c);
		}
	}
}

size_t ctl_server_watchers(const struct ctl_server *s)
{
	size_t n = 0;

	for (const struct ctl_client *c = s ? s->clients : NULL; c; c = c->next)
		n += c->watch;
	return n;
}

size_t ctl_server_clients(const struct ctl_server *s)
{
	return s ? s->n_clients : 0;
}
