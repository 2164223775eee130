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
#include <time.h>
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
/* After accept() fails for lack of descriptors, pause accepting this long
 * instead of spinning on a listening socket that stays readable. */
#define ACCEPT_PAUSE_MS 500

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
	struct timeval idle, write;	/* client timeouts */
	struct event *ev_resume;	/* re-enables accepting after EMFILE */
	time_t accept_warned;		/* when a failing accept() was last logged */
	char *made_dir;			/* the socket's directory, when we created it */
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

static void set_closing(struct ctl_client *c);

static void client_send(struct ctl_client *c, json_object *o)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	if (evbuffer_get_length(out) > MAX_PENDING_OUTPUT) {
		/* It stopped reading; holding more for it would grow without bound. */
		olog(LOG_CTL, LVL_NOTICE, "dropping control client pid %d: not reading its output",
		     (int)c->pid);
		set_closing(c);
		return;
	}
	evbuffer_add(out, text, strlen(text));
	evbuffer_add(out, "\n", 1);
}

/* From now on the client only gets what is already queued for it: reading
 * stops and unread input is dropped, so a client that keeps sending while
 * not reading cannot make the daemon buffer without bound. */
static void set_closing(struct ctl_client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);

	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	evbuffer_drain(in, evbuffer_get_length(in));
}

/* Frees c when it is closing and everything queued has been written.
 * Returns 1 when c is gone. */
static int maybe_free(struct ctl_client *c)
{
	if (!c->closing || evbuffer_get_length(bufferevent_get_output(c->bev)))
		return 0;
	client_free(c);
	return 1;
}

static void on_write(struct bufferevent *bev, void *arg)
{
	maybe_free(arg);
}

/* Parses one request line into *req. Returns NULL, or the error reply for
 * a line that is not exactly one JSON object. */
static json_object *parse_request(const char *line, size_t len, json_object **req)
{
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	size_t used;

	*req = NULL;
	if (strlen(line) != len)
		return ctl_error("bad request: contains a NUL byte");
	tok = json_tokener_new();
	if (!tok)
		return ctl_error("bad request: out of memory");
	/* The terminating NUL is passed too, so that a bare number ends. */
	*req = json_tokener_parse_ex(tok, line, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!*req)
		return ctl_error("bad request: invalid JSON (%s)", json_tokener_error_desc(jerr));
	if (used < len && line[used + strspn(line + used, " \t\r")]) {
		json_object_put(*req);
		*req = NULL;
		return ctl_error("bad request: text after the JSON object; "
				 "send one object per line");
	}
	if (!json_object_is_type(*req, json_type_object)) {
		json_object_put(*req);
		*req = NULL;
		return ctl_error("bad request: expected a JSON object");
	}
	return NULL;
}

/* Answers one request line (NUL-terminated, len bytes). */
static void serve_one(struct ctl_client *c, const char *line, size_t len)
{
	json_object *req, *reply = parse_request(line, len, &req);

	c->srv->stats->ctl_requests++;
	if (reply)
		c->srv->stats->ctl_bad_requests++;
	else
		reply = c->srv->handler(c->srv->arg, c, req);
	json_object_put(req);
	if (reply) {
		client_send(c, reply);
		json_object_put(reply);
	}
}

/* Answers every complete line in the input. Returns 1 when c was freed. */
static int serve_lines(struct ctl_client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char *line;
	size_t len;

	while (!c->closing && (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF))) {
		serve_one(c, line, len);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > MAX_REQUEST) {
		json_object *e = ctl_error("bad request: longer than %d bytes without a newline",
					   MAX_REQUEST);

		c->srv->stats->ctl_bad_requests++;
		client_send(c, e);
		json_object_put(e);
		set_closing(c);
	}
	return maybe_free(c);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	serve_lines(arg);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client *c = arg;

	if (what & BEV_EVENT_TIMEOUT) {
		c->srv->stats->ctl_timeouts++;
		olog(LOG_CTL, LVL_INFO, "control client pid %d timed out (%s)", (int)c->pid,
		     what & BEV_EVENT_READING ? "idle" : "not reading");
	} else if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		/* The client shut down its sending side, perhaps right after its
		 * last request (even one without a newline): answer it, then close
		 * once the answer is written. */
		struct evbuffer *in = bufferevent_get_input(bev);
		size_t len = evbuffer_get_length(in);

		if (!c->closing && len) {
			char *line = xmalloc(len + 1);

			evbuffer_remove(in, line, len);
			line[len] = '\0';
			serve_one(c, line, len);
			free(line);
		}
		if (!c->closing)
			set_closing(c);
		maybe_free(c);
		return;
	}
	client_free(c);
}

/* Root, the daemon's own user, and the socket's group may talk to it. The
 * file mode already says so; checking the peer's credentials too means a
 * socket made accessible by mistake (a chmod, a bind mount) stays closed. */
static int authorised(struct ctl_server *s, int fd, struct ucred *cr)
{
	socklen_t len = sizeof(*cr);
	gid_t few[64], *groups = few;
	int ok = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &len) < 0)
		return 0;
	if (cr->uid == 0 || cr->uid == geteuid())
		return 1;
	if (s->gid == (gid_t)-1)
		return 0;
	if (cr->gid == s->gid)
		return 1;
	len = sizeof(few);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		if (errno == ERANGE && len > sizeof(few)) {
			/* A member of many groups (directory services): len is the size needed. */
			groups = xmalloc(len);
			if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
				len = 0;
		} else {
			len = 0;
		}
	}
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		ok |= groups[i] == s->gid;
	if (groups != few)
		free(groups);
	return ok;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		      int salen, void *arg)
{
	struct ctl_server *s = arg;
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
	bufferevent_set_timeouts(c->bev, &s->idle, &s->write);
	/* Stop reading once a request's worth is buffered: serve_lines() then
	 * either answers the lines or refuses the oversized one. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, MAX_REQUEST + 1);
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
		set_closing(c);
	}
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_server *s = arg;

	evconnlistener_enable(s->listener);
}

/* accept() failed. Out of descriptors (or memory), the listening socket stays
 * readable and libevent would call accept() again at once, forever: pause
 * instead, and say so once per episode. */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
	struct ctl_server *s = arg;
	struct timeval pause = { 0, ACCEPT_PAUSE_MS * 1000 };
	int e = EVUTIL_SOCKET_ERROR();
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!s->accept_warned || now.tv_sec - s->accept_warned >= 60) {
		olog(LOG_CTL, LVL_WARNING, "cannot accept control clients: %s; pausing the control "
		     "socket for %d ms at a time until it works again (said at most once a "
		     "minute)", strerror(e), ACCEPT_PAUSE_MS);
		s->accept_warned = now.tv_sec ? now.tv_sec : 1;
	}
	evconnlistener_disable(l);
	evtimer_add(s->ev_resume, &pause);
}

/* Another ospreyd holding the lock means this one must not start; its pid
 * is in the lock file for the message. The lock file is opened without
 * following symbolic links: its directory may belong to the unprivileged
 * user, and root must not be tricked into truncating another file. */
static int take_lock(struct ctl_server *s, char *err, size_t errlen)
{
	struct stat st;
	char buf[32];
	ssize_t n;

	s->lock_fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
			  0644);
	if (s->lock_fd < 0) {
		snprintf(err, errlen, "cannot open lock file %s: %s%s", s->lock_path,
			 strerror(errno),
			 errno == ELOOP ? " (it is a symbolic link; remove it)" : "");
		return -1;
	}
	if (fstat(s->lock_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "lock file %s is not a regular file; remove it", s->lock_path);
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
	/* We hold the lock, so a socket left behind is stale; anything else at
	 * that path is not ours to delete (a mistyped --socket, say). */
	if (lstat(s->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket; not replacing it",
				 s->path);
			return -1;
		}
		if (unlink(s->path) < 0) {
			snprintf(err, errlen, "cannot remove the stale control socket %s: %s",
				 s->path, strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0117);	/* born 0660: no window where others may connect */
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "cannot bind control socket %s: %s", s->path, strerror(errno));
		close(fd);
		return -1;
	}
	/* Neither call follows a symbolic link swapped in after bind(). chown
	 * only when needed: under systemd the socket is born with the service's
	 * group, and the unit's system call filter forbids chown. chmod only
	 * when the umask was not honoured (a default ACL on the directory). */
	rc = lstat(s->path, &st);
	if (rc == 0 && !S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		rc = -1;
	}
	if (rc == 0 && s->gid != (gid_t)-1 && st.st_gid != s->gid &&
	    lchown(s->path, (uid_t)-1, s->gid) < 0) {
		snprintf(err, errlen, "cannot give control socket %s to group %d: %s", s->path,
			 (int)s->gid, strerror(errno));
		goto fail;
	}
	if (rc < 0 || ((st.st_mode & 07777) != 0660 && chmod(s->path, 0660) < 0) ||
	    listen(fd, 16) < 0) {
		snprintf(err, errlen, "control socket %s: %s", s->path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	unlink(s->path);
	return -1;
}

/* Test-only overrides of the client timeouts (see ospreyd(8), ENVIRONMENT). */
static void timeout_from_env(const char *name, struct timeval *tv, int dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	tv->tv_sec = dflt;
	tv->tv_usec = 0;
	if (!v || !*v)
		return;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 3600) {
		olog(LOG_CTL, LVL_WARNING, "ignoring %s='%s': expected seconds from 1 to 3600",
		     name, v);
		return;
	}
	tv->tv_sec = n;
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
	timeout_from_env("OSPREY_TEST_CTL_IDLE_TIMEOUT", &s->idle, IDLE_TIMEOUT_S);
	timeout_from_env("OSPREY_TEST_CTL_WRITE_TIMEOUT", &s->write, WRITE_TIMEOUT_S);
	if (slash && slash != dir) {
		mode_t old;
		int rc;

		*slash = '\0';
		old = umask(027);	/* 0750 whatever the caller's umask */
		rc = mkdir(dir, 0750);
		umask(old);
		if (rc == 0)
			s->made_dir = xstrdup(dir);
		else if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			goto fail;
		}
	}
	if (take_lock(s, err, errlen))
		goto fail;
	fd = make_socket(s, err, errlen);
	if (fd < 0)
		goto fail;
	s->ev_resume = evtimer_new(base, on_resume, s);
	s->listener = evconnlistener_new(base, on_accept, s,
					 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (!s->listener || !s->ev_resume) {
		snprintf(err, errlen, "cannot listen on %s", path);
		if (!s->listener)
			close(fd);
		unlink(path);
		goto fail;
	}
	evconnlistener_set_error_cb(s->listener, on_accept_error);
	free(dir);
	return s;
fail:
	free(dir);
	if (s->listener)
		evconnlistener_free(s->listener);
	if (s->ev_resume)
		event_free(s->ev_resume);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->made_dir);
	free(s->path);
	free(s->lock_path);
	free(s);
	return NULL;
}

int ctl_server_chown(struct ctl_server *s, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	/* A directory ospreyd made for its socket must let the socket's group in. */
	if (s->made_dir && chown(s->made_dir, uid, gid) < 0) {
		snprintf(err, errlen, "cannot give %s to uid %d gid %d: %s", s->made_dir, (int)uid,
			 (int)gid, strerror(errno));
		return -1;
	}
	if (lchown(s->path, uid, gid) < 0) {
		snprintf(err, errlen, "cannot give the control socket %s to uid %d gid %d: %s",
			 s->path, (int)uid, (int)gid, strerror(errno));
		return -1;
	}
	return 0;
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
	event_free(s->ev_resume);
	unlink(s->path);
	free(s->made_dir);
	close(s->lock_fd);
	free(s->path);
	free(s->lock_path);
	free(s);
}

void ctl_client_watch(struct ctl_client *c)
{
	c->watch = 1;
	bufferevent_set_timeouts(c->bev, NULL, &c->srv->write);
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
			maybe_free(c);
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
