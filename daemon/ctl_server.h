/* The control socket: a UNIX stream socket carrying one JSON object per line
 * each way. Requests are {"command": "...", ...}; replies are
 * {"ok": true, "result": {...}} or {"ok": false, "error": "..."}. */
#ifndef OSPREY_DAEMON_CTL_SERVER_H
#define OSPREY_DAEMON_CTL_SERVER_H

#include <event2/event.h>
#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

#include "stats.h"

struct ctl_server;
struct ctl_client;

/* Returns the reply (owned by the caller's caller, freed after sending). */
typedef json_object *(*ctl_handler)(void *arg, struct ctl_client *c, json_object *req);

/* Takes the single-instance lock (path + ".lock"), then creates the socket
 * with mode 0660 and group gid ((gid_t)-1: leave it). On failure returns
 * NULL with a sentence in err. The environment variables
 * OSPREY_TEST_CTL_IDLE_TIMEOUT and OSPREY_TEST_CTL_WRITE_TIMEOUT (seconds)
 * shorten the client timeouts for the test suite. */
struct ctl_server *ctl_server_open(struct event_base *base, const char *path, gid_t gid,
				   ctl_handler handler, void *arg, struct osprey_stats *stats,
				   char *err, size_t errlen);
/* Closes every client, removes the socket and releases the lock. */
void ctl_server_close(struct ctl_server *s);
/* Hands the socket (and its directory, if ospreyd created it) to the user
 * the daemon is about to become. 0, or -1 with a sentence in err. */
int ctl_server_chown(struct ctl_server *s, uid_t uid, gid_t gid, char *err, size_t errlen);
/* Which peers may talk: root, the daemon's own uid, and members of gid. */
void ctl_server_set_access(struct ctl_server *s, gid_t gid);

/* Turns the client into a watcher: it receives every broadcast event and
 * is exempt from the idle timeout. */
void ctl_client_watch(struct ctl_client *c);
void ctl_server_broadcast(struct ctl_server *s, json_object *event);
size_t ctl_server_watchers(const struct ctl_server *s);
size_t ctl_server_clients(const struct ctl_server *s);

/* Builders for replies. */
json_object *ctl_ok(json_object *result);
json_object *ctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
