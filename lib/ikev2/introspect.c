/* Introspection of the engine's SAs (engine.h: tests, ospreyctl). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

size_t ike_engine_sa_count(const struct ike_engine *e)
{
	return e->nsas;
}

size_t ike_engine_half_open(const struct ike_engine *e)
{
	return e->half_open;
}

static void fill_info(const struct ike_sa *sa, struct ike_sa_info *o)
{
	memset(o, 0, sizeof(*o));
	o->uid = sa->uid;
	o->ispi = sa->ispi;
	o->rspi = sa->rspi;
	o->initiator = sa->initiator;
	o->state = sa->state;
	o->conn = sa->conn;
	o->local = sa->local;
	o->remote = sa->remote;
	o->nat_local = sa->nat_local;
	o->nat_remote = sa->nat_remote;
	if (sa->suite.encr) {
		o->encr_id = sa->suite.encr->id;
		o->encr_bits = sa->suite.encr->key_bits;
	}
	o->prf_id = sa->suite.prf ? sa->suite.prf->id : 0;
	o->integ_id = sa->suite.integ ? sa->suite.integ->id : 0;
	o->group = sa->suite.group;
	o->msgid_out = sa->msgid_out;
	o->msgid_in = sa->msgid_in;
	o->rekey_at = sa->rekey_at;
	o->expire_at = sa->expire_at;
	for (const struct ike_child *ch = sa->children; ch; ch = ch->next)
		o->nchildren++;
	o->memory = sa->mem;
	cp_info(sa, o);
}

int ike_engine_sa_info(const struct ike_engine *e, uint64_t uid, struct ike_sa_info *out)
{
	/* The lookup does not change the engine. */
	const struct ike_sa *sa = ike_sa_by_uid((struct ike_engine *)e, uid);

	if (!sa)
		return -1;
	fill_info(sa, out);
	return 0;
}

int ike_engine_sa_at(const struct ike_engine *e, size_t idx, struct ike_sa_info *out)
{
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		if (idx-- == 0) {
			fill_info(sa, out);
			return 0;
		}
	}
	return -1;
}

static void fill_child(const struct ike_child *ch, struct ike_child_info *out)
{
	memset(out, 0, sizeof(*out));
	out->id = ch->id;
	out->cfg_index = ch->cfg_index;
	out->spi_in = ch->spi_in;
	out->spi_out = ch->spi_out;
	out->mode = ch->transport ? IKE_MODE_TRANSPORT : IKE_MODE_TUNNEL;
	out->encap = ch->encap;
	out->encr_id = ch->encr_id;
	out->integ_id = ch->integ_id;
	out->group = ch->group;
	out->reqid = ch->reqid;
	out->rekey_at = ch->rekey_at;
	out->expire_at = ch->expire_at;
	out->superseded = ch->superseded;
	out->n_local_ts = ch->n_local_ts;
	out->n_remote_ts = ch->n_remote_ts;
	memcpy(out->local_ts, ch->ts, ch->n_local_ts * sizeof(struct ike_ts));
	memcpy(out->remote_ts, ch->ts + ch->n_local_ts, ch->n_remote_ts * sizeof(struct ike_ts));
}

int ike_engine_child_info(const struct ike_engine *e, uint64_t uid, unsigned idx,
			  struct ike_child_info *out)
{
	const struct ike_sa *sa = ike_sa_by_uid((struct ike_engine *)e, uid);

	for (const struct ike_child *ch = sa ? sa->children : NULL; ch; ch = ch->next)
		if (idx-- == 0) {
			fill_child(ch, out);
			return 0;
		}
	return -1;
}

size_t ike_engine_foreach_sa(const struct ike_engine *e, ike_sa_visit_fn fn, void *ctx)
{
	struct ike_child_info small[4], *ci = small;
	size_t cap = 4, n = 0;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_sa_info si;
		unsigned k = 0;
		int stop;

		if (sa->state == IKE_SA_DEAD)
			continue;
		fill_info(sa, &si);
		if (si.nchildren > cap) {
			struct ike_child_info *bigger = malloc(si.nchildren * sizeof(*bigger));

			if (!bigger)
				continue;
			if (ci != small)
				free(ci);
			ci = bigger;
			cap = si.nchildren;
		}
		for (const struct ike_child *ch = sa->children; ch; ch = ch->next)
			fill_child(ch, &ci[k++]);
		n++;
		stop = fn(ctx, &si, ci, k);
		if (stop)
			break;
	}
	if (ci != small)
		free(ci);
	return n;
}

size_t ike_engine_memory(const struct ike_engine *e)
{
	size_t m = sizeof(*e);

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next)
		m += sa->mem;
	return m;
}

size_t ike_engine_sizeof_sa(void)
{
	return sizeof(struct ike_sa);
}

size_t ike_engine_sizeof_child(void)
{
	return sizeof(struct ike_child);
}
