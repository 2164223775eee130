# Interoperability tests in network namespaces (root; SKIP otherwise):
# ospreyd against strongSwan's charon, and ospreyd against ospreyd.
interop_tests = \
	testsuite/interop/charon_test.py \
	testsuite/interop/cert_test.py \
	testsuite/interop/pair_test.py \
	testsuite/interop/reload_test.py \
	testsuite/interop/rekey_test.py \
	testsuite/interop/charon_rekey_test.py \
	testsuite/interop/vip_test.py
TESTS += $(interop_tests)
EXTRA_DIST += $(interop_tests) testsuite/interop/netns.py
