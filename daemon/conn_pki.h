/* Certificate material of a connection: our certificate chain and private
 * key, the trust anchors (CA certificates and CRLs) the peer's chain must
 * reach, or the peer's pinned certificate.  Loaded from the files the
 * configuration names with lib/crypto's loaders; --check-config parses the
 * same files (conf_check_pki) so that a bad file is a configuration error. */
#ifndef OSPREY_DAEMON_CONN_PKI_H
#define OSPREY_DAEMON_CONN_PKI_H

#include <stddef.h>

#include "conf.h"
#include "crypto/pubkey.h"
#include "crypto/x509.h"

struct conn_pki {
	mbedtls_x509_crt *certs;	/* ours: end entity first, then intermediates */
	struct oc_key *key;		/* the private key matching certs */
	struct oc_trust *trust;		/* CAs and CRLs; NULL without any */
	struct oc_key *peer_pubkey;	/* remote.certs: the peer's pinned key */
};

/* Loads what cn needs for local.auth / remote.auth = "pubkey".  0, or -1
 * with the reason in err (out is then safe to free). */
int conn_pki_load(const struct osp_config *cfg, const struct conf_conn *cn,
		  struct conn_pki *out, char *err, size_t errlen);
void conn_pki_free(struct conn_pki *p);

/* The private-key secret whose key matches the certificate's public key:
 * its index in cfg->secrets, or -1. */
int conn_pki_find_key(const struct osp_config *cfg, const mbedtls_x509_crt *cert,
		      struct oc_key **key);

#endif
