/* The transform registry and proposal strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/proposal.h"
#include "ikev1_const.h"
#include "ikev2_const.h"
#include "ike_names.h"

static void round_trip(const char *s, enum oc_proto proto)
{
	struct oc_proposal p, q;
	char err[2048], out[512];
	int rc = oc_proposal_parse(s, proto, &p, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", s, err);
	assert_true(oc_proposal_format(&p, out, sizeof(out)) > 0);
	assert_string_equal(out, s);
	assert_int_equal(oc_proposal_parse(out, proto, &q, err, sizeof(err)), 0);
	assert_memory_equal(&p, &q, sizeof(p));
}

static void proposals_round_trip(void **state)
{
	round_trip("aes256gcm16-prfsha384-ecp384", OC_PROTO_IKE);
	round_trip("aes128-sha256-x25519", OC_PROTO_IKE);
	round_trip("aes256-sha1-modp2048", OC_PROTO_IKE);
	round_trip("3des-sha1-modp1024", OC_PROTO_IKE);
	round_trip("aes128-aes256-sha256-sha1-prfsha256-x25519-ecp256-modp3072", OC_PROTO_IKE);
	round_trip("chacha20poly1305-prfsha256-x448", OC_PROTO_IKE);
	round_trip("aes128ctr-aesxcbc-prfaescmac-ecp256bp", OC_PROTO_IKE);
	round_trip("aes128gcm16-esn", OC_PROTO_ESP);
	round_trip("aes256-sha256-modp2048-noesn", OC_PROTO_ESP);
	round_trip("sha256", OC_PROTO_AH);
}

static void proposal_contents(void **state)
{
	struct oc_proposal p;
	char err[2048];
	assert_int_equal(oc_proposal_parse("aes128-sha256-x25519", OC_PROTO_IKE, &p, err, sizeof(err)), 0);
	assert_int_equal(p.n_encr, 1);
	assert_int_equal(p.encr[0]->id, IKEV2_ENCR_AES_CBC);
	assert_int_equal(p.encr[0]->key_bits, 128);
	assert_int_equal(p.integ[0]->id, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_true(p.prf_implicit);
	assert_int_equal(p.prf[0]->id, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(p.ke[0]->id, IKEV2_GROUP_CURVE25519);
	/* Aliases give the same transform. */
	assert_int_equal(oc_proposal_parse("AES128-SHA2_256-curve25519", OC_PROTO_IKE, &p, err, sizeof(err)), 0);
	assert_int_equal(p.ke[0]->id, IKEV2_GROUP_CURVE25519);
	assert_int_equal(p.integ[0]->id, IKEV2_INTEG_HMAC_SHA2_256_128);
}

static void proposal_errors(void **state)
{
	struct oc_proposal p;
	char err[4096];
	assert_int_equal(oc_proposal_parse("aes257-sha1-modp2048", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "unknown algorithm 'aes257'"));
	assert_non_null(strstr(err, " aes256gcm16 "));
	assert_non_null(strstr(err, " x25519"));
	assert_non_null(strstr(err, " prfsha384 "));
	assert_int_equal(oc_proposal_parse("aes128-prfsha256-modp2048", OC_PROTO_ESP, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "unknown algorithm 'prfsha256'"));
	assert_non_null(strstr(err, " esn noesn"));
	assert_int_equal(oc_proposal_parse("ecp224bp-aes128-sha1", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "not available"));
	assert_int_equal(oc_proposal_parse("aes128gcm16-sha256-prfsha256-ecp256", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "no integrity"));
	assert_int_equal(oc_proposal_parse("aes128gcm16-ecp256", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "PRF"));
	assert_int_equal(oc_proposal_parse("aes128-modp2048", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_int_equal(oc_proposal_parse("aes128-sha1", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "key exchange"));
	assert_int_equal(oc_proposal_parse("aes128-sha1-", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_int_equal(oc_proposal_parse("", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_int_equal(oc_proposal_parse("aes128-aes128gcm16-sha1-modp2048", OC_PROTO_IKE, &p, err, sizeof(err)), OC_EINVAL);
	assert_non_null(strstr(err, "mixes AEAD"));
}

/* Every row has a unique keyword, its IANA id has a name in ike_names.h,
 * and lookups by id and by IKEv1 value find it again. */
static void registry_is_consistent(void **state)
{
	size_t n = 0;
	for (size_t i = 0; oc_transform_at(i); i++, n++) {
		const struct oc_transform *t = oc_transform_at(i);
		assert_ptr_equal(oc_transform_by_keyword(t->keyword), t);
		assert_ptr_equal(oc_transform_find(t->type, t->id, t->key_bits), t);
		if (t->v1 && t->type != IKEV2_TT_INTEG)
			assert_ptr_equal(oc_transform_ikev1(t->type, t->v1, t->key_bits), t);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(oc_transform_at(j)->keyword, t->keyword);
		if (t->type == IKEV2_TT_ENCR)
			assert_true(t->key_len > t->salt_len);
	}
	assert_true(n > 60);
	assert_ptr_equal(oc_transform_ikev1(IKEV2_TT_ENCR, IKEV1_ENCR_AES_CBC, 0),
			 oc_transform_by_keyword("aes128"));
	assert_ptr_equal(oc_transform_ikev1(IKEV2_TT_PRF, IKEV1_HASH_SHA2_256, 0),
			 oc_transform_by_keyword("prfsha256"));
	assert_ptr_equal(oc_transform_ikev1(IKEV2_TT_KE, IKEV1_GROUP_MODP_2048, 0),
			 oc_transform_by_keyword("modp2048"));
}

static void registry_names_exist(void **state)
{
	for (size_t i = 0; oc_transform_at(i); i++) {
		const struct oc_transform *t = oc_transform_at(i);
		const char *name = ikev2_transform_id_name(t->type, t->id);
		if (!name)
			fail_msg("no IANA name for %s (type %u id %u)", t->keyword, t->type, t->id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proposals_round_trip),
		cmocka_unit_test(proposal_contents),
		cmocka_unit_test(proposal_errors),
		cmocka_unit_test(registry_is_consistent),
		cmocka_unit_test(registry_names_exist),
	};
	return cmocka_run_group_tests_name("crypto_proposal", tests, NULL, NULL);
}
