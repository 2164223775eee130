/* kernel-xfrm: inbound SPIs (XFRM_MSG_ALLOCSPI) and SAs (NEWSA / UPDSA /
 * DELSA), with the table from IKEv2 transform IDs to kernel algorithms. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "log.h"
#include "util.h"
#include "xfrm_priv.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

/* Replay window for inbound SAs (packets); a multiple of 32. */
#define XF_REPLAY_WINDOW 128u

/* ---- algorithms ---- */

static const struct {
	uint16_t id;
	struct xf_alg alg;
} encr_tab[] = {
	{ IKEV2_ENCR_AES_GCM_8, { "rfc4106(gcm(aes))", 64, true } },
	{ IKEV2_ENCR_AES_GCM_12, { "rfc4106(gcm(aes))", 96, true } },
	{ IKEV2_ENCR_AES_GCM_16, { "rfc4106(gcm(aes))", 128, true } },
	{ IKEV2_ENCR_AES_CCM_8, { "rfc4309(ccm(aes))", 64, true } },
	{ IKEV2_ENCR_AES_CCM_12, { "rfc4309(ccm(aes))", 96, true } },
	{ IKEV2_ENCR_AES_CCM_16, { "rfc4309(ccm(aes))", 128, true } },
	{ IKEV2_ENCR_NULL_AUTH_AES_GMAC, { "rfc4543(gcm(aes))", 128, true } },
	{ IKEV2_ENCR_CHACHA20_POLY1305, { "rfc7539esp(chacha20,poly1305)", 128, true } },
	{ IKEV2_ENCR_AES_CBC, { "cbc(aes)", 0, false } },
	{ IKEV2_ENCR_AES_CTR, { "rfc3686(ctr(aes))", 0, false } },
	{ IKEV2_ENCR_3DES, { "cbc(des3_ede)", 0, false } },
	{ IKEV2_ENCR_NULL, { "ecb(cipher_null)", 0, false } },
};

static const struct {
	uint16_t id;
	struct xf_alg alg;
} integ_tab[] = {
	{ IKEV2_INTEG_HMAC_SHA1_96, { "hmac(sha1)", 96, false } },
	{ IKEV2_INTEG_HMAC_SHA2_256_128, { "hmac(sha256)", 128, false } },
	{ IKEV2_INTEG_HMAC_SHA2_384_192, { "hmac(sha384)", 192, false } },
	{ IKEV2_INTEG_HMAC_SHA2_512_256, { "hmac(sha512)", 256, false } },
	{ IKEV2_INTEG_AES_XCBC_96, { "xcbc(aes)", 96, false } },
	{ IKEV2_INTEG_AES_CMAC_96, { "cmac(aes)", 96, false } },
	{ IKEV2_INTEG_HMAC_MD5_96, { "hmac(md5)", 96, false } },
};

int xf_encr_alg(uint16_t id, struct xf_alg *out)
{
	for (size_t i = 0; i < sizeof(encr_tab) / sizeof(encr_tab[0]); i++)
		if (encr_tab[i].id == id) {
			*out = encr_tab[i].alg;
			return 0;
		}
	return -1;
}

int xf_integ_alg(uint16_t id, struct xf_alg *out)
{
	for (size_t i = 0; i < sizeof(integ_tab) / sizeof(integ_tab[0]); i++)
		if (integ_tab[i].id == id) {
			*out = integ_tab[i].alg;
			return 0;
		}
	return -1;
}

/* ---- descriptions for errors ---- */

static void sa_desc(const struct ike_kernel *k, char *buf, size_t len)
{
	struct xfrm_mark mark = xf_mark(k->mark, k->mark_mask);
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], ms[64];

	xf_ep_str(&k->src, s, sizeof(s));
	xf_ep_str(&k->dst, d, sizeof(d));
	xf_mark_str(&mark, k->if_id, ms, sizeof(ms));
	snprintf(buf, len, "SA %s %s spi %08x %s -> %s reqid %u%s", k->dir == IKE_DIR_IN ? "in" :
		 "out", k->proto == IKEV2_PROTO_AH ? "ah" : "esp", k->spi, s, d, xf_reqid(k->reqid), ms);
}

static int fail(struct xf *x, const char *what, const struct ike_kernel *k, int err, char *buf,
		size_t len)
{
	char desc[224], eb[256];

	x->errors++;
	sa_desc(k, desc, sizeof(desc));
	/* the kernel's own words only when the kernel said no */
	snprintf(buf, len, "%s %s: %s", what, desc, err == ENOMEM || err == EAFNOSUPPORT ?
		 xf_errstr(err, eb, sizeof(eb)) : xf_errstr_ext(x, err, eb, sizeof(eb)));
	return -1;
}

/* ---- SPIs ---- */

static int got_spi(struct nl_msg *m, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	uint32_t *spi = arg;

	if (h->nlmsg_type == XFRM_MSG_NEWSA && nlmsg_valid_hdr(h, sizeof(struct xfrm_usersa_info))) {
		const struct xfrm_usersa_info *p = nlmsg_data(h);

		*spi = ntohl(p->id.spi);
	}
	return NL_OK;
}

int xf_get_spi(void *ctx, const struct ike_kernel *k, uint32_t *spi, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct xfrm_userspi_info u;
	struct xfrm_mark mark = xf_mark(k->mark, k->mark_mask);
	struct nl_msg *m;
	uint32_t got = 0;
	int fam = xf_family(k->dst.family), rc;

	memset(&u, 0, sizeof(u));
	u.info.family = (uint16_t)fam;
	xf_addr(&u.info.id.daddr, k->dst.addr, k->dst.family);
	xf_addr(&u.info.saddr, k->src.addr, k->src.family);
	u.info.id.proto = xf_proto(k->proto);
	u.info.reqid = OSPREY_REQID_BASE;	/* ours, not an SA yet */
	u.info.mode = XFRM_MODE_TUNNEL;
	u.min = OSPREY_SPI_MIN;
	u.max = OSPREY_SPI_MAX;
	if (!fam)
		return fail(x, "allocate SPI for", k, EAFNOSUPPORT, err, errlen);
	m = nlmsg_alloc_simple(XFRM_MSG_ALLOCSPI, 0);
	/* The mark when the action has one (GET_SPI carries none today):
	 * the SA's UPDSA finds an unmarked larval state all the same, as an
	 * SA mark v/m matches a state with mask 0. */
	if (!m || nlmsg_append(m, &u, sizeof(u), NLMSG_ALIGNTO) < 0 ||
	    xf_put_mark(m, &mark, k->if_id) < 0) {
		nlmsg_free(m);
		return fail(x, "allocate SPI for", k, ENOMEM, err, errlen);
	}
	rc = xf_request(x, m, got_spi, &got);
	nlmsg_free(m);
	if (rc == 0 && !got)
		rc = -EPROTO;
	if (rc)
		return fail(x, "allocate SPI for", k, -rc, err, errlen);
	*spi = got;
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-xfrm: allocated SPI %08x", got);
	return 0;
}

/* ---- SAs ---- */

static uint64_t limit(uint64_t v)
{
	return v ? v : XFRM_INF;
}

static int put_algs(struct nl_msg *m, const struct ike_kernel *k, char *why, size_t len)
{
	struct xf_alg e, a;

	if (k->proto != IKEV2_PROTO_AH) {
		if (xf_encr_alg(k->encr_id, &e)) {
			snprintf(why, len, "encryption transform %u has no kernel algorithm", k->encr_id);
			return -1;
		}
		if (e.aead) {
			size_t sz = sizeof(struct xfrm_algo_aead) + k->enc_key_len;
			struct xfrm_algo_aead *al = xcalloc(1, sz);
			int rc;

			snprintf(al->alg_name, sizeof(al->alg_name), "%s", e.name);
			al->alg_key_len = k->enc_key_len * 8u;
			al->alg_icv_len = e.icv_bits;
			memcpy(al->alg_key, k->enc_key, k->enc_key_len);
			rc = nla_put(m, XFRMA_ALG_AEAD, (int)sz, al);
			explicit_bzero(al, sz);
			free(al);
			if (rc < 0)
				goto nomem;
		} else {
			size_t sz = sizeof(struct xfrm_algo) + k->enc_key_len;
			struct xfrm_algo *al = xcalloc(1, sz);
			int rc;

			snprintf(al->alg_name, sizeof(al->alg_name), "%s", e.name);
			al->alg_key_len = k->enc_key_len * 8u;
			memcpy(al->alg_key, k->enc_key, k->enc_key_len);
			rc = nla_put(m, XFRMA_ALG_CRYPT, (int)sz, al);
			explicit_bzero(al, sz);
			free(al);
			if (rc < 0)
				goto nomem;
		}
	} else {
		e.aead = false;
	}
	if (!e.aead || k->proto == IKEV2_PROTO_AH) {
		size_t sz = sizeof(struct xfrm_algo_auth) + k->integ_key_len;
		struct xfrm_algo_auth *al;
		int rc;

		if (xf_integ_alg(k->integ_id, &a)) {
			snprintf(why, len, "integrity transform %u has no kernel algorithm", k->integ_id);
			return -1;
		}
		al = xcalloc(1, sz);
		snprintf(al->alg_name, sizeof(al->alg_name), "%s", a.name);
		al->alg_key_len = k->integ_key_len * 8u;
		al->alg_trunc_len = a.icv_bits;
		memcpy(al->alg_key, k->integ_key, k->integ_key_len);
		rc = nla_put(m, XFRMA_ALG_AUTH_TRUNC, (int)sz, al);
		explicit_bzero(al, sz);
		free(al);
		if (rc < 0)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(why, len, "netlink message too large");
	return -1;
}

static struct nl_msg *sa_msg(int type, const struct ike_kernel *k, char *why, size_t len)
{
	struct xfrm_usersa_info p;
	struct nl_msg *m;
	struct {
		struct xfrm_replay_state_esn r;
		uint32_t bmp[XF_REPLAY_WINDOW / 32];
	} rp;
	struct xfrm_mark mark;
	int fam = xf_family(k->dst.family);

	if (!fam || k->src.family != k->dst.family) {
		snprintf(why, len, "no usable address family");
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.family = (uint16_t)fam;
	xf_addr(&p.id.daddr, k->dst.addr, k->dst.family);
	xf_addr(&p.saddr, k->src.addr, k->src.family);
	p.id.spi = htonl(k->spi);
	p.id.proto = xf_proto(k->proto);
	p.reqid = xf_reqid(k->reqid);
	p.mode = k->mode == IKE_MODE_TRANSPORT ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL;
	if (k->mode != IKE_MODE_TRANSPORT)
		p.flags |= XFRM_STATE_AF_UNSPEC;	/* inner traffic of either family */
	if (k->esn)
		p.flags |= XFRM_STATE_ESN;
	/* Hard limits from the configuration; soft at 90% (the rekey point). */
	p.lft.hard_byte_limit = limit(k->life_bytes);
	p.lft.soft_byte_limit = k->soft_bytes ? k->soft_bytes :
				k->life_bytes ? k->life_bytes / 10 * 9 : XFRM_INF;
	p.lft.hard_packet_limit = limit(k->life_packets);
	p.lft.soft_packet_limit = k->soft_packets ? k->soft_packets :
				  k->life_packets ? k->life_packets / 10 * 9 : XFRM_INF;
	p.lft.hard_add_expires_seconds = k->life_seconds;
	p.lft.soft_add_expires_seconds = k->soft_seconds ? k->soft_seconds :
		(uint64_t)k->life_seconds * 9 / 10;
	m = nlmsg_alloc_simple(type, 0);
	if (!m || nlmsg_append(m, &p, sizeof(p), NLMSG_ALIGNTO) < 0)
		goto nomem;
	if (put_algs(m, k, why, len)) {
		nlmsg_free(m);
		return NULL;
	}
	if (k->encap) {
		struct xfrm_encap_tmpl e;

		memset(&e, 0, sizeof(e));
		e.encap_type = UDP_ENCAP_ESPINUDP;
		e.encap_sport = htons(k->src.port);
		e.encap_dport = htons(k->dst.port);
		if (nla_put(m, XFRMA_ENCAP, sizeof(e), &e) < 0)
			goto nomem;
	}
	/* Replay state (XFRMA_REPLAY_ESN_VAL, the only form that carries ESN)
	 * for both directions: kernels before 6.10 refuse an ESN SA with a
	 * zero window even outbound, where the window is simply unused. */
	memset(&rp, 0, sizeof(rp));
	rp.r.bmp_len = XF_REPLAY_WINDOW / 32;
	rp.r.replay_window = XF_REPLAY_WINDOW;
	if (nla_put(m, XFRMA_REPLAY_ESN_VAL, sizeof(rp), &rp) < 0)
		goto nomem;
	/* Route-based VPNs: the mark selects the SA for marked packets, the
	 * interface id ties it to an xfrm interface (ip link type xfrm). */
	mark = xf_mark(k->mark, k->mark_mask);
	if (xf_put_mark(m, &mark, k->if_id) < 0)
		goto nomem;
	return m;
nomem:
	nlmsg_free(m);
	snprintf(why, len, "out of memory");
	return NULL;
}

static void wipe_msg(struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	explicit_bzero(nlmsg_data(h), (size_t)nlmsg_datalen(h));
	nlmsg_free(m);
}

int xf_add_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	char why[128], desc[160];
	struct nl_msg *m;
	int rc;

	/* An inbound SA takes over the SPI ALLOCSPI reserved (UPDSA replaces
	 * the larval state); when that is gone (it expires after 30 s) NEWSA. */
	m = sa_msg(k->dir == IKE_DIR_IN ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, k, why, sizeof(why));
	if (!m) {
		x->errors++;
		sa_desc(k, desc, sizeof(desc));
		snprintf(err, errlen, "add %s: %s", desc, why);
		return -1;
	}
	rc = xf_request(x, m, NULL, NULL);
	if (rc == -ESRCH && k->dir == IKE_DIR_IN) {
		nlmsg_hdr(m)->nlmsg_type = XFRM_MSG_NEWSA;
		nlmsg_hdr(m)->nlmsg_seq = NL_AUTO_SEQ;
		rc = xf_request(x, m, NULL, NULL);
	}
	wipe_msg(m);
	if (rc)
		return fail(x, "add", k, -rc, err, errlen);
	sa_desc(k, desc, sizeof(desc));
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: added %s%s", desc, k->encap ? " (UDP encap)" : "");
	return 0;
}

/* An SA named as XFRM looks it up: (daddr, spi, proto) and the mark; the
 * interface id rides along (the kernel ignores it for the lookup). */
static struct nl_msg *sa_id_msg(int type, const struct ike_kernel *k)
{
	struct xfrm_usersa_id id;
	struct xfrm_mark mark = xf_mark(k->mark, k->mark_mask);
	struct nl_msg *m;

	memset(&id, 0, sizeof(id));
	id.family = (uint16_t)xf_family(k->dst.family);
	xf_addr(&id.daddr, k->dst.addr, k->dst.family);
	id.spi = htonl(k->spi);
	id.proto = xf_proto(k->proto);
	m = nlmsg_alloc_simple(type, 0);
	if (!m || nlmsg_append(m, &id, sizeof(id), NLMSG_ALIGNTO) < 0 ||
	    xf_put_mark(m, &mark, k->if_id) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

int xf_del_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct nl_msg *m;
	int rc;

	m = sa_id_msg(XFRM_MSG_DELSA, k);
	if (!m)
		return fail(x, "delete", k, ENOMEM, err, errlen);
	rc = xf_request(x, m, NULL, NULL);
	nlmsg_free(m);
	if (rc == -ESRCH || rc == -ENOENT) {
		/* never installed (a CHILD SA that failed half-way) or expired */
		olog(LOG_KERNEL, LVL_DEBUG, "kernel-xfrm: delete of SA %08x: not in the kernel",
		     k->spi);
		return 0;
	}
	if (rc)
		return fail(x, "delete", k, -rc, err, errlen);
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-xfrm: deleted SA %08x", k->spi);
	return 0;
}

/* ---- counters ---- */

struct stats_reply {
	struct kernel_sa_stats *st;
	bool got, bad;
};

static int got_stats(struct nl_msg *m, void *arg)
{
	struct stats_reply *r = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	const struct xfrm_usersa_info *p;

	if (h->nlmsg_type != XFRM_MSG_NEWSA)
		return NL_SKIP;
	if (!nlmsg_valid_hdr(h, sizeof(*p))) {
		r->bad = true;
		return NL_SKIP;
	}
	p = nlmsg_data(h);
	/* curlft in the fixed part is what XFRMA_LTIME_VAL repeats */
	r->st->bytes = p->curlft.bytes;
	r->st->packets = p->curlft.packets;
	r->st->add_time = p->curlft.add_time;
	r->st->use_time = p->curlft.use_time;
	r->got = true;
	return NL_OK;
}

int xf_sa_stats(void *ctx, const struct ike_kernel *k, struct kernel_sa_stats *st, char *err,
		size_t errlen)
{
	struct xf *x = ctx;
	struct stats_reply r = { st, false, false };
	struct nl_msg *m;
	int rc;

	memset(st, 0, sizeof(*st));
	m = sa_id_msg(XFRM_MSG_GETSA, k);
	if (!m)
		return fail(x, "read counters of", k, ENOMEM, err, errlen);
	rc = xf_request(x, m, got_stats, &r);
	nlmsg_free(m);
	if (rc == 0 && !r.got)
		rc = -EPROTO;	/* acknowledged without the SA, or a short answer */
	if (rc) {
		memset(st, 0, sizeof(*st));
		/* ESRCH is the kernel's "no such SA" */
		return fail(x, rc == -ESRCH ? "read counters (no such SA in the kernel) of" :
			    "read counters of", k, -rc, err, errlen);
	}
	return 0;
}
