/* Proposal keyword validation for the configuration.
 *
 * This keyword table is temporary: it is to be replaced by lib/crypto's
 * algorithm registry and proposal parser once lib/crypto/STATUS.md says the
 * parser is done. Only config_check_proposal() is used by the rest of the
 * daemon, so the switch touches this file alone. */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"

enum kw_class { KW_ENCR, KW_AEAD, KW_INTEG, KW_PRF, KW_DH, KW_ESN };

struct kw {
	const char *name;
	enum kw_class cls;
	bool v1_ok;		/* usable with IKEv1 */
};

static const struct kw keywords[] = {
	{ "aes128", KW_ENCR, true }, { "aes192", KW_ENCR, true }, { "aes256", KW_ENCR, true },
	{ "aes128ctr", KW_ENCR, false }, { "aes192ctr", KW_ENCR, false },
	{ "aes256ctr", KW_ENCR, false }, { "3des", KW_ENCR, true },
	{ "aes128gcm8", KW_AEAD, false }, { "aes128gcm12", KW_AEAD, false },
	{ "aes128gcm16", KW_AEAD, false }, { "aes192gcm16", KW_AEAD, false },
	{ "aes256gcm8", KW_AEAD, false }, { "aes256gcm12", KW_AEAD, false },
	{ "aes256gcm16", KW_AEAD, false }, { "chacha20poly1305", KW_AEAD, false },
	{ "sha1", KW_INTEG, true }, { "sha256", KW_INTEG, true }, { "sha384", KW_INTEG, true },
	{ "sha512", KW_INTEG, true }, { "aesxcbc", KW_INTEG, false },
	{ "prfsha1", KW_PRF, true }, { "prfsha256", KW_PRF, true },
	{ "prfsha384", KW_PRF, true }, { "prfsha512", KW_PRF, true },
	{ "prfaesxcbc", KW_PRF, false },
	{ "modp2048", KW_DH, true }, { "modp3072", KW_DH, true }, { "modp4096", KW_DH, true },
	{ "modp6144", KW_DH, true }, { "modp8192", KW_DH, true },
	{ "ecp256", KW_DH, true }, { "ecp384", KW_DH, true }, { "ecp521", KW_DH, true },
	{ "x25519", KW_DH, false }, { "curve25519", KW_DH, false }, { "x448", KW_DH, false },
	{ "esn", KW_ESN, false }, { "noesn", KW_ESN, false },
};

#define N_KW (sizeof(keywords) / sizeof(keywords[0]))

static const struct kw *lookup(const char *name)
{
	for (size_t i = 0; i < N_KW; i++)
		if (!strcmp(keywords[i].name, name))
			return &keywords[i];
	return NULL;
}

static void unknown(const char *tok, char *err, size_t errlen)
{
	const char *names[N_KW];
	const char *best;

	for (size_t i = 0; i < N_KW; i++)
		names[i] = keywords[i].name;
	best = closest_word(tok, names, N_KW);
	if (best)
		snprintf(err, errlen, "unknown algorithm keyword '%s' (did you mean '%s'?)", tok, best);
	else
		snprintf(err, errlen, "unknown algorithm keyword '%s'", tok);
}

int config_check_proposal(const char *proposal, bool esp, int version, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;
	const char *aead = NULL, *encr = NULL, *integ = NULL, *prf = NULL, *dh = NULL;

	if (!strcmp(proposal, "default"))
		return 0;
	if (!*proposal || strlen(proposal) >= sizeof(buf)) {
		snprintf(err, errlen, "proposal is %s", *proposal ? "too long" : "empty");
		return -1;
	}
	strcpy(buf, proposal);
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		const struct kw *k = lookup(tok);

		if (!k) {
			unknown(tok, err, errlen);
			return -1;
		}
		if (version == 1 && !k->v1_ok) {
			snprintf(err, errlen, "'%s' is not available with IKEv1", tok);
			return -1;
		}
		switch (k->cls) {
		case KW_ENCR: encr = tok; break;
		case KW_AEAD: aead = tok; break;
		case KW_INTEG: integ = tok; break;
		case KW_PRF:
			if (esp) {
				snprintf(err, errlen, "'%s' is a PRF, which ESP proposals do not have", tok);
				return -1;
			}
			prf = tok;
			break;
		case KW_DH: dh = tok; break;
		case KW_ESN:
			if (!esp) {
				snprintf(err, errlen, "'%s' only applies to ESP proposals", tok);
				return -1;
			}
			break;
		}
	}
	if (aead && encr) {
		snprintf(err, errlen, "mixes the AEAD cipher '%s' with the plain cipher '%s'; "
			 "put them in separate proposals", aead, encr);
		return -1;
	}
	if (!aead && !encr) {
		snprintf(err, errlen, "has no encryption algorithm");
		return -1;
	}
	if (aead && integ) {
		snprintf(err, errlen, "'%s' is an AEAD cipher and takes no integrity algorithm "
			 "('%s')", aead, integ);
		return -1;
	}
	if (encr && !integ) {
		snprintf(err, errlen, "the cipher '%s' needs an integrity algorithm (e.g. sha256)",
			 encr);
		return -1;
	}
	if (!esp && aead && !prf) {
		snprintf(err, errlen, "an AEAD IKE proposal needs a PRF (e.g. prfsha384)");
		return -1;
	}
	if (!esp && !dh) {
		snprintf(err, errlen, "an IKE proposal needs a key exchange group (e.g. x25519)");
		return -1;
	}
	return 0;
}
