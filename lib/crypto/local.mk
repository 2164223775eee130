# lib/crypto: the crypto provider layer on mbedTLS (owned by the crypto work).
# Nothing here does I/O except rng.c (getrandom) and the file loaders.
noinst_LIBRARIES += lib/crypto/libospreycrypto.a
lib_crypto_libospreycrypto_a_SOURCES = \
	lib/crypto/crypto.h lib/crypto/provider.c lib/crypto/rng.c \
	lib/crypto/mbed_internal.h lib/crypto/mbed_provider.c \
	lib/crypto/mbed_sym.c lib/crypto/mbed_ke.c lib/crypto/mbed_sig.c \
	lib/crypto/modp_groups.c lib/crypto/modp_groups.h \
	lib/crypto/transforms.c lib/crypto/transforms.h \
	lib/crypto/proposal.c lib/crypto/proposal.h \
	lib/crypto/ke.c lib/crypto/ke.h \
	lib/crypto/sk.c lib/crypto/sk.h \
	lib/crypto/ikev2_kdf.c lib/crypto/ikev2_kdf.h \
	lib/crypto/pubkey.c lib/crypto/pubkey.h \
	lib/crypto/ikev2_auth.c lib/crypto/ikev2_auth.h \
	lib/crypto/ikev1_kdf.c lib/crypto/ikev1_kdf.h \
	lib/crypto/x509.c lib/crypto/x509.h \
	lib/crypto/identity.c lib/crypto/identity.h \
	lib/crypto/pki.c lib/crypto/pki.h

# osprey-pki: keys, CAs, certificates and CRLs (to become "ospreyctl pki").
bin_PROGRAMS += lib/crypto/osprey-pki
lib_crypto_osprey_pki_SOURCES = lib/crypto/pki_main.c
lib_crypto_osprey_pki_LDADD = lib/crypto/libospreycrypto.a lib/libosprey.a $(MBEDTLS_LIBS)

EXTRA_DIST += lib/crypto/gen_modp.py lib/crypto/STATUS.md
