/* Kernel SPI requests and crypto jobs: the expensive part of a key exchange,
 * AUTH signatures and certificate checks (sig.c), run by a worker thread (or
 * inline).  ike_job_run touches only the job (and read-only conn data: keys,
 * trust stores), so any thread may run it; lib/crypto's random generator is
 * per thread, mbedTLS locks RSA blinding (MBEDTLS_THREADING_C). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

void ike_job_run(struct ike_job *j)
{
	int rc = 0;

	if (j->kind != IKE_JOB_KE) {
		sig_job_run(j->sig, &j->result);
		return;
	}
	if (!j->ke)
		rc = oc_ke_new(j->group, &j->ke);
	if (rc == 0 && j->peer) {
		j->secret_len = j->ke->secret_len;
		j->secret = malloc(j->secret_len);
		rc = j->secret ? oc_ke_shared(j->ke, j->peer, j->peer_len, j->secret) : OC_EBACKEND;
	}
	j->result = rc;
}

void ike_job_free(struct ike_job *j)
{
	if (!j)
		return;
	if (j->ke)
		oc_ke_free(j->ke);
	if (j->secret) {
		oc_wipe(j->secret, j->secret_len);
		free(j->secret);
	}
	free(j->peer);
	sig_job_free(j->sig);
	free(j);
}

int ike_submit_job(struct ike_engine *e, struct ike_job *j)
{
	struct ike_out *o;

	if (e->cfg.inline_crypto) {
		ike_job_run(j);
		if (e->ndone < sizeof(e->done_head) / sizeof(e->done_head[0])) {
			e->done_head[e->ndone++] = j;
			return 0;
		}
		ike_job_free(j);
		return -1;
	}
	o = ike_out_new(e, IKE_OUT_JOB, 0);
	if (!o) {
		ike_job_free(j);
		return -1;
	}
	o->u.job = j;
	return 0;
}

/* ---- kernel SPIs and crypto jobs ---- */

void ike_request_spi(struct ike_engine *e, struct ike_sa *sa)
{
	ike_request_spi_hs(e, sa, ike_hs_get(sa));
}

void ike_request_spi_hs(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs)
{
	struct ike_kernel k = { .op = IKE_KERNEL_GET_SPI, .proto = IKEV2_PROTO_ESP };

	if (!hs || hs->spi_req || hs->spi_in)
		return;
	/* The SPI space of the CHILD SA's protocol (a responder at
	 * IKE_SA_INIT guesses the first config: an AH SA installed on an ESP
	 * SPI only leaves the larval ESP state to expire). */
	if (hs->child_cfg < sa->conn->n_children)
		k.proto = child_cfg_proto(&sa->conn->children[hs->child_cfg]);
	hs->spi_req = e->next_req++;
	k.ike_uid = sa->uid;
	k.req = hs->spi_req;
	k.src = sa->remote;
	k.dst = sa->local;
	ike_emit_kernel(e, &k);
}

int ike_start_ke(struct ike_engine *e, struct ike_sa *sa, uint16_t group, const uint8_t *peer,
		 size_t plen)
{
	return ike_start_ke_hs(e, sa, ike_hs_get(sa), group, peer, plen);
}

int ike_start_ke_hs(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs, uint16_t group,
		    const uint8_t *peer, size_t plen)
{
	struct ike_job *j = calloc(1, sizeof(*j));

	if (!hs || !j)
		goto fail;
	j->kind = IKE_JOB_KE;
	j->ike_uid = sa->uid;
	j->id = e->next_job++;
	j->group = group;
	if (hs->ke && hs->ke->group == group)
		j->ke = hs->ke; /* the job owns it while it runs */
	else if (hs->ke)
		oc_ke_free(hs->ke);
	if (hs->ke) {
		hs->ke = NULL;
		sa->mem -= sizeof(struct oc_ke);
	}
	if (peer) {
		j->peer = malloc(plen);
		if (!j->peer)
			goto fail;
		memcpy(j->peer, peer, plen);
		j->peer_len = plen;
	}
	hs->job_id = j->id;
	hs->ke_pending = true;
	return ike_submit_job(e, j);
fail:
	ike_job_free(j);
	return -1;
}

static void job_deliver(struct ike_engine *e, struct ike_job *j)
{
	struct ike_sa *sa = ike_sa_by_uid(e, j->ike_uid);
	struct ike_hs *hs = sa ? sa->hs : NULL;

	if (hs && j->kind != IKE_JOB_KE) {
		sig_job_deliver(e, sa, j);
		return;
	}
	if (sa && sa->rhs && sa->rhs->job_id == j->id && j->kind == IKE_JOB_KE)
		hs = sa->rhs; /* the responder side of a CREATE_CHILD_SA */
	if (!hs || hs->job_id != j->id) {
		ike_job_free(j); /* the SA or the exchange is gone */
		return;
	}
	hs->job_id = 0;
	hs->ke_pending = false;
	if (j->result != 0) {
		ike_log(e, sa, IKE_LOG_ERROR, "key exchange with group %u failed: %s", j->group,
			oc_strerror(j->result));
		ike_job_free(j);
		if (hs == sa->rhs) {
			/* Only this CREATE_CHILD_SA fails: the peer retransmits. */
			ike_rhs_free(sa);
			ike_unpark_from(sa, &sa->rparked);
			return;
		}
		ike_sa_destroy(e, sa, "key exchange failed");
		return;
	}
	hs->ke = j->ke; /* counted as the SA's while it holds it */
	sa->mem += sizeof(struct oc_ke);
	j->ke = NULL;
	if (j->secret) {
		sa_free(sa, hs->gir, hs->gir_len);
		hs->gir = sa_alloc(sa, j->secret_len);
		if (hs->gir) {
			memcpy(hs->gir, j->secret, j->secret_len);
			hs->gir_len = j->secret_len;
		}
	}
	ike_job_free(j);
	ike_resume(e, sa);
}

void ike_jobs_deliver_inline(struct ike_engine *e)
{
	while (e->ndone) {
		struct ike_job *j = e->done_head[0];
		memmove(&e->done_head[0], &e->done_head[1], (e->ndone - 1) * sizeof(e->done_head[0]));
		e->ndone--;
		job_deliver(e, j);
	}
}

void ike_engine_job_done(struct ike_engine *e, uint64_t now, struct ike_job *j)
{
	if (now > e->now)
		e->now = now;
	job_deliver(e, j);
	ike_finish_input(e);
}

void ike_engine_kernel_spi(struct ike_engine *e, uint64_t now, uint32_t req, uint32_t spi)
{
	if (now > e->now)
		e->now = now;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_hs *hs = sa->hs && sa->hs->spi_req == req ? sa->hs
				    : sa->rhs && sa->rhs->spi_req == req ? sa->rhs : NULL;

		if (sa->state == IKE_SA_DEAD || !hs)
			continue;
		hs->spi_req = 0;
		hs->spi_in = spi;
		ike_resume(e, sa);
		break;
	}
	ike_finish_input(e);
}

/* A CHILD SA the kernel cannot carry (refused, or hard-expired while a
 * rekey or another exchange holds the window): its kernel state goes at
 * once (both SAs; the policies only when it owns them, lifetime.c), the
 * Delete to the peer waits for the window. */
static void child_give_up(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch,
			  const char *why)
{
	if (ch->installed)
		child_delete_kernel(e, sa, ch);
	ch->failed = true;
	ch->rekey_at = 0;
	if (sa->state != IKE_SA_ESTABLISHED) {
		/* Being deleted (or rekeyed away): its end takes the CHILD SA. */
		child_remove(e, sa, ch, why);
	} else if (ike_queue_task(sa, TASK_DELETE_CHILD, ch->id) != 0) {
		/* Queue full: the linger timer of a superseded SA sends it. */
		ch->superseded = true;
		ch->rekey_at = e->now + 1000;
	}
	ike_run_tasks(e, sa);
}

static void expire(struct ike_engine *e, uint64_t now, uint32_t spi, bool hard)
{
	if (now > e->now)
		e->now = now;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_child *ch = NULL;

		if (sa->state == IKE_SA_ESTABLISHED)
			ch = child_by_spi(sa, spi, true) ? child_by_spi(sa, spi, true)
							 : child_by_spi(sa, spi, false);
		if (!ch)
			continue;
		ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u}: %s expiry of SPI %08x", ch->id,
			hard ? "hard" : "soft", spi);
		if (hard) {
			/* The kernel has dropped (at least) this SA already: the
			 * rest goes now, not when the window frees up. */
			if (!ch->failed)
				child_give_up(e, sa, ch, "hard expiry");
		} else if (!ch->superseded) {
			ike_engine_rekey_child(e, now, sa->uid, ch->id);
		}
		break;
	}
	ike_finish_input(e);
}

void ike_engine_kernel_expire(struct ike_engine *e, uint64_t now, uint32_t spi)
{
	expire(e, now, spi, true);
}

void ike_engine_kernel_soft_expire(struct ike_engine *e, uint64_t now, uint32_t spi)
{
	expire(e, now, spi, false);
}

void ike_engine_kernel_spi_error(struct ike_engine *e, uint64_t now, uint32_t req,
				 const char *why)
{
	if (now > e->now)
		e->now = now;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		struct ike_hs *hs = sa->hs;

		if (sa->state != IKE_SA_DEAD && sa->rhs && sa->rhs->spi_req == req) {
			/* Responder of a CREATE_CHILD_SA: TEMPORARY_FAILURE (child.c). */
			sa->rhs->spi_req = 0;
			sa->rhs->spi_failed = true;
			ike_log(e, sa, IKE_LOG_ERROR, "the kernel could not allocate an inbound ESP "
				"SPI: %s", why ? why : "unknown error");
			ike_resume(e, sa);
			break;
		}
		if (sa->state == IKE_SA_DEAD || !hs || hs->spi_req != req)
			continue;
		hs->spi_req = 0;
		hs->spi_failed = true;
		ike_log(e, sa, IKE_LOG_ERROR, "the kernel could not allocate an inbound ESP SPI: %s",
			why ? why : "unknown error");
		if (hs->ccsa && sa->state == IKE_SA_ESTABLISHED) {
			/* Our CREATE_CHILD_SA was not sent yet: give it up. */
			ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, 0, "CHILD_SA %s not created: no SPI",
				  sa->conn->children[hs->child_cfg].name);
			ike_hs_free(sa);
			ike_run_tasks(e, sa);
		} else if (sa->initiator && sa->state != IKE_SA_ESTABLISHED) {
			/* Without its CHILD SA there is no IKE_AUTH to send. */
			ike_event(e, sa, IKE_EV_IKE_FAILED, 0, 0, "no SPI for the first CHILD_SA");
			ike_clear_request(sa);
			ike_sa_destroy(e, sa, "no SPI for the CHILD_SA");
		} else {
			/* Responder: the waiting request is answered with an
			 * error notify (child.c). */
			ike_resume(e, sa);
		}
		break;
	}
	ike_finish_input(e);
}

/* The IKE SA holding CHILD SA child_id of IKE SA uid: the CHILD SAs of an
 * IKE SA replaced by a rekey moved to its successor (same ids). */
static struct ike_sa *child_owner(struct ike_engine *e, uint64_t uid, uint32_t child_id,
				  struct ike_child **chp)
{
	struct ike_sa *sa = ike_sa_by_uid(e, uid);

	for (int hops = 0; sa && hops < 8; hops++) {
		*chp = child_by_id(sa, child_id);
		if (*chp)
			return sa;
		sa = sa->successor ? ike_sa_by_uid(e, sa->successor) : NULL;
	}
	return NULL;
}

void ike_engine_kernel_sa_error(struct ike_engine *e, uint64_t now, uint64_t ike_uid,
				uint32_t child_id, const char *why)
{
	struct ike_child *ch = NULL;
	struct ike_sa *sa;

	if (now > e->now)
		e->now = now;
	sa = child_owner(e, ike_uid, child_id, &ch);
	/* The daemon reports every refused action: the first one deletes,
	 * the others find the CHILD SA failed or gone. */
	if (!sa || ch->failed) {
		ike_finish_input(e);
		return;
	}
	ike_log(e, sa, IKE_LOG_ERROR, "the kernel refused CHILD_SA {%u} (SPIs %08x_i %08x_o): %s; "
		"deleting it", ch->id, ch->spi_in, ch->spi_out, why ? why : "unknown error");
	ike_event(e, sa, IKE_EV_CHILD_FAILED, ch->id, 0, "CHILD_SA {%u} not installed: %s", ch->id,
		  why ? why : "kernel error");
	child_give_up(e, sa, ch, "kernel error");
	ike_finish_input(e);
}
