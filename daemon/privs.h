/* Dropping root: ospreyd started as root outside systemd becomes an
 * unprivileged user that keeps only the capabilities keying needs. */
#ifndef OSPREY_DAEMON_PRIVS_H
#define OSPREY_DAEMON_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

/* Resolves user and group names. 0, or -1 with a sentence in err. */
int privs_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid, char *err,
		 size_t errlen);
/* Becomes uid/gid (unless uid is 0) keeping CAP_NET_ADMIN (XFRM via
 * netlink) and CAP_NET_BIND_SERVICE (UDP 500 and 4500) and nothing else,
 * including in the bounding set. 0, or -1 with a sentence in err. */
int privs_drop(uid_t uid, gid_t gid, char *err, size_t errlen);

#endif
