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

static const char *capng_step(int rc)
{
	switch (rc) {
	case -1: return "libcap-ng is not initialised";
	case -2: return "cannot keep capabilities across the uid change (PR_SET_KEEPCAPS)";
	case -3: return "cannot apply the intermediate capabilities";
	case -4: return "setresgid failed";
	case -5: return "dropping the supplementary groups failed";
	case -6: return "setresuid failed";
	case -7: return "cannot clear PR_SET_KEEPCAPS";
	case -8: return "cannot clear the capability bounding set";
	case -9: return "cannot drop CAP_SETPCAP";
	default: return "unknown libcap-ng failure";
	}
}

int privs_drop(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	int rc;

	/* Supplementary groups go first, while root may still change them;
	 * then libcap-ng sets the gid, then the uid, keeping only the two
	 * capabilities across the change. */
	if (setgroups(0, NULL) < 0) {
		snprintf(err, errlen, "cannot drop the supplementary groups: %s", strerror(errno));
		return -1;
	}
	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN,
		      CAP_NET_BIND_SERVICE, -1);
	errno = 0;
	if (uid == 0)
		rc = capng_apply(CAPNG_SELECT_BOTH);
	else
		rc = capng_change_id((int)uid, (int)gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rc) {
		snprintf(err, errlen, "cannot drop privileges to uid %d gid %d: %s%s%s", (int)uid,
			 (int)gid, uid == 0 ? "cannot apply the capability sets" : capng_step(rc),
			 errno ? ": " : "", errno ? strerror(errno) : "");
		return -1;
	}
	/* Trust, but verify: no way back to root once it is given up. */
	if (uid != 0 && (getuid() != uid || geteuid() != uid || getgid() != gid ||
			 getegid() != gid || setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "dropping privileges to uid %d gid %d did not take effect",
			 (int)uid, (int)gid);
		return -1;
	}
	return 0;
}
