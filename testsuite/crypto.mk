# Crypto tests (known answers, SK protection, key derivation) and benchmarks.
CRYPTO_TEST_LDADD = lib/crypto/libospreycrypto.a lib/libosprey.a $(MBEDTLS_LIBS) $(CMOCKA_LIBS)
CRYPTO_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

crypto_tests = \
	testsuite/crypto/test_kat_mac \
	testsuite/crypto/test_kat_ke \
	testsuite/crypto/test_kat_cipher \
	testsuite/crypto/test_ikev2_kdf \
	testsuite/crypto/test_proposal \
	testsuite/crypto/test_auth \
	testsuite/crypto/test_ikev1_kdf \
	testsuite/crypto/test_x509 \
	testsuite/crypto/test_interop_charon

check_PROGRAMS += $(crypto_tests)
TESTS += $(crypto_tests)

testsuite_crypto_test_kat_mac_SOURCES = testsuite/crypto/test_kat_mac.c testsuite/crypto/kat.h
testsuite_crypto_test_kat_mac_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_kat_mac_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_kat_ke_SOURCES = testsuite/crypto/test_kat_ke.c testsuite/crypto/kat.h
testsuite_crypto_test_kat_ke_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_kat_ke_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_kat_cipher_SOURCES = testsuite/crypto/test_kat_cipher.c testsuite/crypto/kat.h
testsuite_crypto_test_kat_cipher_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_kat_cipher_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_ikev2_kdf_SOURCES = testsuite/crypto/test_ikev2_kdf.c testsuite/crypto/kat.h
testsuite_crypto_test_ikev2_kdf_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_ikev2_kdf_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_proposal_SOURCES = testsuite/crypto/test_proposal.c
testsuite_crypto_test_proposal_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_proposal_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_auth_SOURCES = testsuite/crypto/test_auth.c testsuite/crypto/kat.h
testsuite_crypto_test_auth_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_auth_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_ikev1_kdf_SOURCES = testsuite/crypto/test_ikev1_kdf.c testsuite/crypto/kat.h
testsuite_crypto_test_ikev1_kdf_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_ikev1_kdf_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_x509_SOURCES = testsuite/crypto/test_x509.c
testsuite_crypto_test_x509_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_x509_LDADD = $(CRYPTO_TEST_LDADD)
testsuite_crypto_test_interop_charon_SOURCES = testsuite/crypto/test_interop_charon.c testsuite/crypto/kat.h
testsuite_crypto_test_interop_charon_CFLAGS = $(CRYPTO_TEST_CFLAGS)
testsuite_crypto_test_interop_charon_LDADD = $(CRYPTO_TEST_LDADD)

# osprey-pki end to end (TAP from a shell script).
TESTS += testsuite/crypto/test_pki_tool.sh
EXTRA_DIST += testsuite/crypto/test_pki_tool.sh

EXTRA_DIST += testsuite/crypto/data/make-keys.sh \
	testsuite/crypto/data/rsa2048-pkcs1.pem testsuite/crypto/data/rsa2048-pkcs8.pem \
	testsuite/crypto/data/rsa2048-pkcs8.der testsuite/crypto/data/rsa2048-enc.pem \
	testsuite/crypto/data/rsa2048-pkcs8-enc.pem testsuite/crypto/data/rsa2048-pkcs8-des3.pem \
	testsuite/crypto/data/rsa2048-pub.pem testsuite/crypto/data/ec-p256-sec1.pem \
	testsuite/crypto/data/ec-p256-pkcs8.pem testsuite/crypto/data/ec-p256-sec1.der \
	testsuite/crypto/data/ec-p256-enc.pem testsuite/crypto/data/ec-p384-sec1.pem \
	testsuite/crypto/data/ec-p521-sec1.pem

# The benchmark is built by "make check" but is not a test: run it by hand,
#   testsuite/bench/bench_crypto [milliseconds per row]
check_PROGRAMS += testsuite/bench/bench_crypto
testsuite_bench_bench_crypto_SOURCES = testsuite/bench/bench_crypto.c
testsuite_bench_bench_crypto_LDADD = lib/crypto/libospreycrypto.a lib/libosprey.a $(MBEDTLS_LIBS)
