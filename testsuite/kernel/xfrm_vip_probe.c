/* Helper of xfrm_vip_test.py, run inside its network namespace: opens
 * kernel-xfrm and drives its virtual IP calls from stdin, one per line:
 *   add ADDR IFNAME|-    kernel_ops.add_vip ("-": no interface named)
 *   del ADDR             kernel_ops.del_vip
 *   close                kernel_ops.close (removes what is left), exit 0
 *   crash                exit without close (the addresses stay)
 * Prints "ok" or "error: TEXT" per command, flushed at once. */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"

int main(void)
{
	const struct kernel_ops *k = &kernel_xfrm_ops;
	struct conf_kernel cfg = { .backend = (char *)"xfrm" };
	char line[256], err[300], cmd[16], addr[64], ifname[32];
	void *ctx;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ctx = k->open(&cfg, err, sizeof(err));
	if (!ctx) {
		printf("error: open: %s\n", err);
		return 1;
	}
	printf("ready\n");
	while (fgets(line, sizeof(line), stdin)) {
		struct ike_endpoint ep;
		int n = sscanf(line, "%15s %63s %31s", cmd, addr, ifname);
		int rc = -1;

		if (n >= 1 && !strcmp(cmd, "crash"))
			_exit(0);
		if (n >= 1 && !strcmp(cmd, "close"))
			break;
		if (n < 2 || ike_endpoint_parse(addr, 0, &ep)) {
			printf("error: bad command\n");
			continue;
		}
		if (!strcmp(cmd, "add") && n == 3)
			rc = k->add_vip(ctx, &ep, strcmp(ifname, "-") ? ifname : NULL, err,
					sizeof(err));
		else if (!strcmp(cmd, "del"))
			rc = k->del_vip(ctx, &ep, NULL, err, sizeof(err));
		else
			snprintf(err, sizeof(err), "bad command");
		printf(rc ? "error: %s\n" : "ok\n", err);
	}
	k->close(ctx);
	printf("closed\n");
	return 0;
}
