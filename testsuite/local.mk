# testsuite/: unit tests (cmocka, TAP output), the tshark oracle, fuzz targets.
UNIT_LDADD = lib/libosprey.a $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

unit_tests = \
	testsuite/unit/test_names \
	testsuite/unit/test_wire \
	testsuite/unit/test_ikev2_codec \
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
	testsuite/unit/msg_equal.c testsuite/unit/msg_equal.h
testsuite_unit_test_ikev2_codec_CFLAGS = $(UNIT_CFLAGS)
testsuite_unit_test_ikev2_codec_LDADD = $(UNIT_LDADD)
testsuite_unit_test_ikev1_codec_SOURCES = testsuite/unit/test_ikev1_codec.c \
	testsuite/unit/msg_equal.c testsuite/unit/msg_equal.h
testsuite_unit_test_ikev1_codec_CFLAGS = $(UNIT_CFLAGS)
testsuite_unit_test_ikev1_codec_LDADD = $(UNIT_LDADD)

EXTRA_DIST += testsuite/deps.sh testsuite/run-all
