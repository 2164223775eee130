# Load testing (issue 5 §5): osprey-load, an IKEv2 initiator load generator
# (and engine-only responder / in-process pair) on lib/ikev2 + lib/crypto.
# Built by `make` (noinst), never run by `make check`: it is a benchmark,
# driven by testsuite/load/bench-responders.sh.  See testsuite/load/README.md.
noinst_PROGRAMS = testsuite/load/osprey-load
testsuite_load_osprey_load_SOURCES = testsuite/load/osprey-load.c
testsuite_load_osprey_load_LDADD = lib/ikev2/libospreyike.a lib/crypto/libospreycrypto.a \
	lib/libosprey.a $(MBEDTLS_LIBS)
EXTRA_DIST += testsuite/load/README.md testsuite/load/bench-responders.sh
