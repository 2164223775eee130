/* Crypto jobs: the expensive part of a key exchange, run by a worker thread
 * (or inline).  ike_job_run touches only the job, so any thread may run it;
 * lib/crypto's random generator is per thread. */
#include "ikev2/internal.h"

#include <stdlib.h>

#include "crypto/crypto.h"

void ike_job_run(struct ike_job *j)
{
	int rc = 0;

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
	free(j);
}
