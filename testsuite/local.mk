# testsuite/: unit tests (cmocka, TAP output), the tshark oracle, fuzz targets.
UNIT_LDADD = lib/libosprey.a $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

# The message catalogue shared by the codec tests, the tshark oracle and the
# fuzz seed generator; built once.
check_LIBRARIES += testsuite/common/libsamples.a
testsuite_common_libsamples_a_SOURCES = \
	testsuite/common/samples.c testsuite/common/samples_v1.c testsuite/common/samples_v2.c \
	testsuite/common/samples.h testsuite/common/samples_int.h

unit_tests = \
	testsuite/unit/test_names \
	testsuite/unit/test_wire \
	testsuite/unit/test_ikev2_codec \
	testsuite/unit/test_ikev2_malformed \
	testsuite/unit/test_ikev1_codec

check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)

testsuite_unit_test_names_SOURCES = testsuite/unit/test_names.c
testsuite_unit_test_names_CFLAGS = $(UNIT_CFLAGS)
testsuite_unit_test_names_LDADD = $(UNIT_LDADD)
testsuite_unit_test_wire_SOURCES = testsuite/unit/test_wire.c
testsuite_unit_test_wire_CFLAGS = $(UNIT_CFLAGS)
testsuite_unit_test_wire_LDADD = $(UNIT_LDADD)
testsuite_unit_test_ikev2_codec_SOURCES = testsuite/unit/test_ikev2_codec.c \
	testsuite/unit/ikev2_test_util.h \
	testsuite/unit/msg_equal.c testsuite/unit/msg_equal.h
testsuite_unit_test_ikev2_codec_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/testsuite/common
testsuite_unit_test_ikev2_codec_LDADD = testsuite/common/libsamples.a $(UNIT_LDADD)
testsuite_unit_test_ikev2_malformed_SOURCES = testsuite/unit/test_ikev2_malformed.c \
	testsuite/unit/ikev2_test_util.h
testsuite_unit_test_ikev2_malformed_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/testsuite/common
testsuite_unit_test_ikev2_malformed_LDADD = testsuite/common/libsamples.a $(UNIT_LDADD)
testsuite_unit_test_ikev1_codec_SOURCES = testsuite/unit/test_ikev1_codec.c \
	testsuite/unit/msg_equal.c testsuite/unit/msg_equal.h
testsuite_unit_test_ikev1_codec_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/testsuite/common
testsuite_unit_test_ikev1_codec_LDADD = testsuite/common/libsamples.a $(UNIT_LDADD)

EXTRA_DIST += testsuite/deps.sh testsuite/run-all testsuite/demo

# The tshark oracle: mkpcap writes the sample catalogue into a pcap with
# osprey's own reading of each message; compare.py checks tshark reads the same.
check_PROGRAMS += testsuite/oracle/mkpcap
TESTS += testsuite/oracle/tshark_oracle.sh
testsuite_oracle_mkpcap_SOURCES = testsuite/oracle/mkpcap.c
testsuite_oracle_mkpcap_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(LIBPCAP_CFLAGS) \
	-I$(top_srcdir)/testsuite/common
testsuite_oracle_mkpcap_LDADD = testsuite/common/libsamples.a lib/libosprey.a $(JSONC_LIBS) $(LIBPCAP_LIBS)
EXTRA_DIST += testsuite/oracle/tshark_oracle.sh testsuite/oracle/compare.py

# ospreyctl decode over the real strongSwan captures and hand-made broken input.
TESTS += testsuite/decode/test_decode.sh
EXTRA_DIST += testsuite/decode/test_decode.sh testsuite/decode/mkbad.py \
	testsuite/data/captures

# The real-kernel test bed (run by testsuite/run-all, not by make check).
EXTRA_DIST += testsuite/vm/README.md testsuite/vm/setup testsuite/vm/run \
	testsuite/vm/extract-vmlinux testsuite/vm/initramfs-init testsuite/vm/guest.sh \
	testsuite/vm/guest-modules testsuite/vm/lib.sh testsuite/vm/lib-osprey.sh \
	testsuite/vm/scenarios

# libFuzzer targets, their runner and seed corpora (run by testsuite/run-all).
EXTRA_DIST += testsuite/fuzz/README.md testsuite/fuzz/run testsuite/fuzz/mkcorpus \
	testsuite/fuzz/coverage testsuite/fuzz/fuzz_common.h testsuite/fuzz/fuzz_frame.h \
	testsuite/fuzz/fuzz_ikev2.c testsuite/fuzz/fuzz_ikev1.c testsuite/fuzz/fuzz_natt.c \
	testsuite/fuzz/fuzz_frame.c testsuite/fuzz/mkseeds.c testsuite/fuzz/corpus
EXTRA_DIST += testsuite/fuzz/fuzz_engine.h testsuite/fuzz/fuzz_engine_init.c \
	testsuite/fuzz/fuzz_engine_sk.c
