/* kernel-xfrm: removing osprey's own state at start-up (what a crashed
 * ospreyd left) and at shutdown.
 *
 * osprey's state is recognised by reqid alone (xfrm_priv.h): SAs whose
 * reqid is in the range, policies with a template whose reqid is.  Marks and
 * interface ids do not make state foreign: they only have to be named again
 * in the delete, because XFRM looks SAs up by (daddr, spi, proto, mark) and
 * policies by (selector or index, dir, mark, if_id).  Anything else is never
 * touched, marked or not.
 *
 * An ACQUIRE's larval state (spi 0) cannot be named by XFRM_MSG_DELSA: the
 * kernel finds SAs for DELSA through its SPI hash, where a state without an
 * SPI is not.  XFRM_MSG_ALLOCSPI however looks larval states up first (by
 * the ACQUIRE's sequence number, then by mode, reqid, proto, addresses,
 * mark and if_id) and gives the one it finds an SPI - the way an IKE daemon
 * pairs its inbound SA with the ACQUIRE.  So each larval osprey state gets
 * an SPI from osprey's range and is then deleted by DELSA like any SA,
 * rather than lingering for net.core.xfrm_acq_expires seconds (30 by
 * default) after the policies that made it are gone.  XFRM_MSG_FLUSHSA is
 * not an option: it flushes every SA of a protocol, foreign ones included. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "xfrm_priv.h"

struct own_sa {
	struct xfrm_usersa_info info;	/* larval: what ALLOCSPI needs */
	struct xfrm_mark mark;
	uint32_t if_id;
};

struct own_pol {
	struct xfrm_userpolicy_id id;
	struct xfrm_mark mark;
	uint32_t if_id;
};

struct own_list {
	struct own_sa *sas, *larval;
	size_t n_sas, cap_sas, n_larval, cap_larval;
	struct own_pol *pols;
	size_t n_pols, cap_pols;
};

static const struct nla_policy sa_attrs[XFRMA_MAX + 1] = {
	[XFRMA_MARK] = { .minlen = sizeof(struct xfrm_mark) },
	[XFRMA_IF_ID] = { .minlen = sizeof(uint32_t) },
};

static const struct nla_policy pol_attrs[XFRMA_MAX + 1] = {
	[XFRMA_TMPL] = { .minlen = sizeof(struct xfrm_user_tmpl) },
	[XFRMA_MARK] = { .minlen = sizeof(struct xfrm_mark) },
	[XFRMA_IF_ID] = { .minlen = sizeof(uint32_t) },
};

static void *grow(void *arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		arr = xrealloc(arr, *cap * size);
	}
	return arr;
}

static void mark_of(struct nlattr **a, struct xfrm_mark *mark, uint32_t *if_id)
{
	memset(mark, 0, sizeof(*mark));
	if (a[XFRMA_MARK])
		memcpy(mark, nla_data(a[XFRMA_MARK]), sizeof(*mark));
	*if_id = a[XFRMA_IF_ID] ? nla_get_u32(a[XFRMA_IF_ID]) : 0;
}

static bool tmpls_ours(struct nlattr *t)
{
	const struct xfrm_user_tmpl *u;
	size_t n;

	if (!t)
		return false;
	n = (size_t)nla_len(t) / sizeof(*u);
	u = nla_data(t);
	for (size_t i = 0; i < n; i++)
		if (xf_reqid_ours(u[i].reqid))
			return true;
	return false;
}

static int collect_sa(struct nl_msg *m, void *arg)
{
	struct own_list *l = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *a[XFRMA_MAX + 1];
	const struct xfrm_usersa_info *p;
	struct own_sa *s;

	if (h->nlmsg_type != XFRM_MSG_NEWSA || !nlmsg_valid_hdr(h, sizeof(*p)) ||
	    nlmsg_parse(h, sizeof(*p), a, XFRMA_MAX, (struct nla_policy *)sa_attrs) < 0)
		return NL_SKIP;
	p = nlmsg_data(h);
	if (!xf_reqid_ours(p->reqid))
		return NL_SKIP;
	if (p->id.spi) {
		l->sas = grow(l->sas, &l->n_sas, &l->cap_sas, sizeof(*s));
		s = &l->sas[l->n_sas++];
	} else {
		l->larval = grow(l->larval, &l->n_larval, &l->cap_larval, sizeof(*s));
		s = &l->larval[l->n_larval++];
	}
	s->info = *p;
	mark_of(a, &s->mark, &s->if_id);
	return NL_OK;
}

static int collect_policy(struct nl_msg *m, void *arg)
{
	struct own_list *l = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *a[XFRMA_MAX + 1];
	const struct xfrm_userpolicy_info *p;
	struct own_pol *o;

	if (h->nlmsg_type != XFRM_MSG_NEWPOLICY || !nlmsg_valid_hdr(h, sizeof(*p)) ||
	    nlmsg_parse(h, sizeof(*p), a, XFRMA_MAX, (struct nla_policy *)pol_attrs) < 0)
		return NL_SKIP;
	p = nlmsg_data(h);
	if (!tmpls_ours(a[XFRMA_TMPL]))
		return NL_SKIP;
	l->pols = grow(l->pols, &l->n_pols, &l->cap_pols, sizeof(*o));
	o = &l->pols[l->n_pols++];
	memset(o, 0, sizeof(*o));
	o->id.sel = p->sel;
	o->id.dir = p->dir;
	o->id.index = p->index;
	mark_of(a, &o->mark, &o->if_id);
	return NL_OK;
}

/* 0, or -errno. */
static int send_with_mark(struct xf *x, int type, const void *body, size_t len,
			  const struct xfrm_mark *mark, uint32_t if_id,
			  int (*valid)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *m = nlmsg_alloc_simple(type, 0);
	int rc;

	if (!m || nlmsg_append(m, (void *)body, len, NLMSG_ALIGNTO) < 0 ||
	    xf_put_mark(m, mark, if_id) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request(x, m, valid, arg);
	nlmsg_free(m);
	return rc;
}

static int delete_sa(struct xf *x, const struct own_sa *s)
{
	struct xfrm_usersa_id id;

	memset(&id, 0, sizeof(id));
	id.daddr = s->info.id.daddr;
	id.spi = s->info.id.spi;
	id.family = s->info.family;
	id.proto = s->info.id.proto;
	return send_with_mark(x, XFRM_MSG_DELSA, &id, sizeof(id), &s->mark, s->if_id, NULL, NULL);
}

static int got_spi(struct nl_msg *m, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	uint32_t *spi = arg;

	if (h->nlmsg_type == XFRM_MSG_NEWSA && nlmsg_valid_hdr(h, sizeof(struct xfrm_usersa_info)))
		*spi = ((const struct xfrm_usersa_info *)nlmsg_data(h))->id.spi;
	return NL_OK;
}

/* A larval state: an SPI through ALLOCSPI, then DELSA (see the top). */
static int delete_larval(struct xf *x, struct own_sa *s)
{
	struct xfrm_userspi_info u;
	uint32_t spi = 0;
	int rc;

	memset(&u, 0, sizeof(u));
	u.info = s->info;
	u.min = OSPREY_SPI_MIN;
	u.max = OSPREY_SPI_MAX;
	rc = send_with_mark(x, XFRM_MSG_ALLOCSPI, &u, sizeof(u), &s->mark, s->if_id, got_spi, &spi);
	if (rc == 0 && !spi)
		rc = -EPROTO;
	if (rc)
		return rc;
	s->info.id.spi = spi;
	return delete_sa(x, s);
}

int xf_flush_own(struct xf *x, const char *why)
{
	struct own_list l = { 0 };
	char eb[256], ms[64];
	size_t nsa = 0, npol = 0, nlarval = 0;
	int rc;

	rc = xf_dump(x, XFRM_MSG_GETSA, collect_sa, &l);
	if (rc == 0)
		rc = xf_dump(x, XFRM_MSG_GETPOLICY, collect_policy, &l);
	if (rc)
		olog(LOG_KERNEL, LVL_ERROR, "kernel-xfrm: %s: cannot list the kernel's SAs and "
		     "policies: %s", why, xf_errstr(-rc, eb, sizeof(eb)));
	/* Policies first: with them gone no new ACQUIRE makes larval states. */
	for (size_t i = 0; i < l.n_pols; i++) {
		const struct own_pol *o = &l.pols[i];

		rc = send_with_mark(x, XFRM_MSG_DELPOLICY, &o->id, sizeof(o->id), &o->mark, o->if_id,
				    NULL, NULL);
		xf_mark_str(&o->mark, o->if_id, ms, sizeof(ms));
		if (rc == 0)
			npol++;
		else if (rc != -ENOENT)
			olog(LOG_KERNEL, LVL_ERROR, "kernel-xfrm: %s: delete policy index %u dir %u%s: %s",
			     why, o->id.index, o->id.dir, ms, xf_errstr_ext(x, -rc, eb, sizeof(eb)));
	}
	for (size_t i = 0; i < l.n_sas; i++) {
		rc = delete_sa(x, &l.sas[i]);
		xf_mark_str(&l.sas[i].mark, l.sas[i].if_id, ms, sizeof(ms));
		if (rc == 0)
			nsa++;
		else if (rc != -ESRCH)
			olog(LOG_KERNEL, LVL_ERROR, "kernel-xfrm: %s: delete SA spi %08x%s: %s", why,
			     ntohl(l.sas[i].info.id.spi), ms, xf_errstr_ext(x, -rc, eb, sizeof(eb)));
	}
	for (size_t i = 0; i < l.n_larval; i++) {
		rc = delete_larval(x, &l.larval[i]);
		if (rc == 0)
			nlarval++;
		else if (rc != -ESRCH && rc != -ENOENT)
			olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: %s: acquire state of reqid %u left "
			     "to expire: %s", why, l.larval[i].info.reqid,
			     xf_errstr_ext(x, -rc, eb, sizeof(eb)));
	}
	if (nsa || npol || nlarval)
		olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: %s: removed %zu osprey SA%s, %zu acquire "
		     "state%s and %zu polic%s (reqid %08x-%08x, any mark / if_id); other state left "
		     "alone", why, nsa, nsa == 1 ? "" : "s", nlarval, nlarval == 1 ? "" : "s", npol,
		     npol == 1 ? "y" : "ies", OSPREY_REQID_BASE,
		     OSPREY_REQID_BASE + OSPREY_REQID_MASK);
	free(l.sas);
	free(l.larval);
	free(l.pols);
	return (int)(nsa + npol + nlarval);
}
