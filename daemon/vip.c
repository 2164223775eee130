/* Virtual IPs on the daemon side (RFC 7296 §3.15): the engine reports an
 * address the responder assigned us (IKE_EV_VIP, before the CHILD SA's
 * policies); it goes onto kernel.vip_interface, or else the interface that
 * holds the IKE SA's local address (kernel_ops.add_vip; NULL interface when
 * none does: the backend picks the default route's), and comes off when the
 * IKE SA goes.  An IKE
 * SA rekey hands the address to the new SA; two IKE SAs holding one
 * address (a reconnect before the old SA is gone) share it: the address
 * is removed with the last of them. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"
#include "log.h"
#include "util.h"

struct vip_rec {
	uint64_t uid;			/* IKE SA holding it */
	struct ike_endpoint addr;
	char ifname[IF_NAMESIZE];	/* "" : the backend chose */
	bool installed;			/* this record put it on the interface */
};

struct glue_vips {
	struct vip_rec *v;
	size_t n;
};

static bool same_addr(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
}

/* The interface holding local address ep into name ("" when none). */
static void iface_of(const struct ike_endpoint *ep, char *name, size_t len)
{
	struct ifaddrs *all, *i;

	name[0] = 0;
	if (!ep->family || getifaddrs(&all))
		return;
	for (i = all; i; i = i->ifa_next) {
		const void *a = NULL;

		if (!i->ifa_addr || !i->ifa_name)
			continue;
		if (i->ifa_addr->sa_family == AF_INET && ep->family == 4)
			a = &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		else if (i->ifa_addr->sa_family == AF_INET6 && ep->family == 6)
			a = &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
		if (a && !memcmp(a, ep->addr, ep->family == 4 ? 4 : 16)) {
			snprintf(name, len, "%s", i->ifa_name);
			break;
		}
	}
	freeifaddrs(all);
}

static void vip_str(const struct ike_endpoint *ep, char *buf, size_t len)
{
	inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, buf, (socklen_t)len);
}

static void added(struct engine_glue *g, const struct ike_event *ev)
{
	struct glue_vips *s = g->vips;
	struct vip_rec r = { .uid = ev->ike_uid, .addr = ev->vip };
	struct ike_sa_info si;
	char a[INET6_ADDRSTRLEN], err[300];
	bool shared = false;

	vip_str(&ev->vip, a, sizeof(a));
	for (size_t i = 0; i < s->n; i++)
		shared |= same_addr(&s->v[i].addr, &r.addr);
	if (!shared && g->kops->add_vip) {
		if (g->d->cfg->kernel.vip_interface) /* kernel.vip_interface */
			snprintf(r.ifname, sizeof(r.ifname), "%s", g->d->cfg->kernel.vip_interface);
		else if (ike_engine_sa_info(g->e, ev->ike_uid, &si) == 0)
			iface_of(&si.local, r.ifname, sizeof(r.ifname));
		if (g->kops->add_vip(g->kctx, &r.addr, r.ifname[0] ? r.ifname : NULL, err,
				     sizeof(err)) == 0)
			r.installed = true;
		else
			olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: %s (IKE SA %" PRIu64 ")",
			     g->kops->name, err, ev->ike_uid);
	} else if (!g->kops->add_vip) {
		olog(LOG_KERNEL, LVL_INFO, "kernel-%s: virtual IP %s not put on an interface (the "
		     "backend does not do that)", g->kops->name, a);
	}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = r;
}

static void ike_down(struct engine_glue *g, uint64_t uid)
{
	struct glue_vips *s = g->vips;
	char err[300];
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct vip_rec r = s->v[i];
		struct vip_rec *heir = NULL;

		if (r.uid != uid) {
			s->v[k++] = r;
			continue;
		}
		for (size_t j = 0; j < s->n && !heir; j++)
			if (j != i && s->v[j].uid != uid && same_addr(&s->v[j].addr, &r.addr))
				heir = &s->v[j];
		if (heir)
			heir->installed |= r.installed; /* still in use: stays */
		else if (r.installed && g->kops->del_vip &&
			 g->kops->del_vip(g->kctx, &r.addr, r.ifname[0] ? r.ifname : NULL, err,
					  sizeof(err)))
			olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: %s (IKE SA %" PRIu64 ")",
			     g->kops->name, err, uid);
	}
	s->n = k;
}

void vip_on_event(struct engine_glue *g, const struct ike_event *ev)
{
	if (!g->vips)
		g->vips = xcalloc(1, sizeof(*g->vips));
	switch (ev->kind) {
	case IKE_EV_VIP:
		added(g, ev);
		break;
	case IKE_EV_IKE_UP:
		/* A rekeyed IKE SA: its successor holds the addresses. */
		for (size_t i = 0; ev->old_ike_uid && i < g->vips->n; i++)
			if (g->vips->v[i].uid == ev->old_ike_uid)
				g->vips->v[i].uid = ev->ike_uid;
		break;
	case IKE_EV_IKE_DOWN:
		ike_down(g, ev->ike_uid);
		break;
	default:
		break;
	}
}

void vip_free(struct engine_glue *g)
{
	if (g->vips)
		free(g->vips->v);
	free(g->vips);
	g->vips = NULL;
}
