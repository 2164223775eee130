/* Dropping root with libcap-ng. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>
#include <linux/capability.h>

#include "privs.h"

int privs_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid, char *err,
		 size_t errlen)
{
	struct passwd *pw = getpwnam(user);
	struct group *gr;

	if (!pw) {
		snprintf(err, errlen, "no user named '%s' to run as: create it (the package's "
			 "sysusers.d file does), or choose another with --user or daemon.user",
			 user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group && strcmp(group, user)) {
		gr = getgrnam(group);
		if (!gr) {
			snprintf(err, errlen, "no group named '%s' (daemon.group)", group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

int privs_drop(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	int rc;

	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN,
		      CAP_NET_BIND_SERVICE, -1);
	if (uid == 0)
		rc = capng_apply(CAPNG_SELECT_BOTH);
	else
		rc = capng_change_id((int)uid, (int)gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rc) {
		snprintf(err, errlen, "cannot drop privileges to uid %d gid %d (libcap-ng error %d)",
			 (int)uid, (int)gid, rc);
		return -1;
	}
	return 0;
}
