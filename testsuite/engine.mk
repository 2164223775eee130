# IKEv2 engine tests: two engines in a simulated world (testsuite/engine/sim.c).
ENGINE_TEST_LDADD = lib/ikev2/libospreyike.a lib/crypto/libospreycrypto.a lib/libosprey.a \
	$(MBEDTLS_LIBS) $(CMOCKA_LIBS)
ENGINE_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

engine_tests = \
	testsuite/engine/test_ike_exchanges \
	testsuite/engine/test_ike_network \
	testsuite/engine/test_ike_charon

check_PROGRAMS += $(engine_tests)
TESTS += $(engine_tests)

testsuite_engine_test_ike_exchanges_SOURCES = testsuite/engine/test_ike_exchanges.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_exchanges_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_exchanges_LDADD = $(ENGINE_TEST_LDADD)
testsuite_engine_test_ike_network_SOURCES = testsuite/engine/test_ike_network.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_network_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_network_LDADD = $(ENGINE_TEST_LDADD)
testsuite_engine_test_ike_charon_SOURCES = testsuite/engine/test_ike_charon.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_charon_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_charon_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_certs
testsuite_engine_test_ike_certs_SOURCES = testsuite/engine/test_ike_certs.c \
	testsuite/engine/sim.c testsuite/engine/sim.h testsuite/engine/keys.h
testsuite_engine_test_ike_certs_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_certs_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_frag
testsuite_engine_test_ike_frag_SOURCES = testsuite/engine/test_ike_frag.c \
	testsuite/engine/sim.c testsuite/engine/sim.h testsuite/engine/keys.h
testsuite_engine_test_ike_frag_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_frag_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_reload
testsuite_engine_test_ike_reload_SOURCES = testsuite/engine/test_ike_reload.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_reload_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_reload_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_rekey
testsuite_engine_test_ike_rekey_SOURCES = testsuite/engine/test_ike_rekey.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_rekey_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_rekey_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_rekey_flow
testsuite_engine_test_ike_rekey_flow_SOURCES = testsuite/engine/test_ike_rekey_flow.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_rekey_flow_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_rekey_flow_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_kernel_events
testsuite_engine_test_ike_kernel_events_SOURCES = testsuite/engine/test_ike_kernel_events.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_kernel_events_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_kernel_events_LDADD = $(ENGINE_TEST_LDADD)

engine_tests += testsuite/engine/test_ike_dpd testsuite/engine/test_ike_ah
testsuite_engine_test_ike_dpd_SOURCES = testsuite/engine/test_ike_dpd.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_dpd_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_dpd_LDADD = $(ENGINE_TEST_LDADD)
testsuite_engine_test_ike_ah_SOURCES = testsuite/engine/test_ike_ah.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_ah_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_ah_LDADD = $(ENGINE_TEST_LDADD)

# Virtual IPs: CP payloads and address pools (lib/ikev2/cp.c, pool.c).
engine_tests += testsuite/engine/test_ike_vip
testsuite_engine_test_ike_vip_SOURCES = testsuite/engine/test_ike_vip.c \
	testsuite/engine/sim.c testsuite/engine/sim.h
testsuite_engine_test_ike_vip_CFLAGS = $(ENGINE_TEST_CFLAGS)
testsuite_engine_test_ike_vip_LDADD = $(ENGINE_TEST_LDADD)
