# kernel-xfrm: its tables without a kernel (algorithms, selectors,
# priorities, reqids), and the plugin on the build host (XFRM netlink
# without ESP; root, SKIP otherwise).  The ESP data path itself is tested in
# the VM: testsuite/vm/scenarios/osprey-*.sh.
kernel_unit_tests = testsuite/kernel/test_xfrm_tables
check_PROGRAMS += $(kernel_unit_tests)
TESTS += $(kernel_unit_tests)
testsuite_kernel_test_xfrm_tables_SOURCES = testsuite/kernel/test_xfrm_tables.c \
	plugins/kernel-xfrm/xfrm.c plugins/kernel-xfrm/xfrm_sa.c \
	plugins/kernel-xfrm/xfrm_policy.c plugins/kernel-xfrm/xfrm_events.c \
	plugins/kernel-xfrm/xfrm_route.c plugins/kernel-xfrm/xfrm_flush.c \
	plugins/kernel-xfrm/xfrm_vip.c \
	plugins/kernel-xfrm/xfrm_priv.h
testsuite_kernel_test_xfrm_tables_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBNL_CFLAGS)
testsuite_kernel_test_xfrm_tables_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon \
	-I$(top_srcdir)/plugins/kernel-xfrm
testsuite_kernel_test_xfrm_tables_LDADD = lib/ikev2/libospreyike.a $(DAEMON_LIBS) \
	$(LIBNL_LIBS) $(CMOCKA_LIBS)

kernel_tests = testsuite/kernel/xfrm_host_test.py testsuite/kernel/xfrm_drive_test.py
TESTS += $(kernel_tests)
EXTRA_DIST += $(kernel_tests) plugins/kernel-xfrm/STATUS.md

# Runs the plugin without ospreyd, one command per line on stdin: used by
# xfrm_host_test.py inside its namespaces (policies, traps, ACQUIRE, marks)
# and by the VM scenario kernel-xfrm-marks (ESP SAs, counters).
check_PROGRAMS += testsuite/kernel/xfrm_plugin_drive
testsuite_kernel_xfrm_plugin_drive_SOURCES = testsuite/kernel/xfrm_plugin_drive.c \
	plugins/kernel-xfrm/xfrm.c plugins/kernel-xfrm/xfrm_sa.c \
	plugins/kernel-xfrm/xfrm_policy.c plugins/kernel-xfrm/xfrm_events.c \
	plugins/kernel-xfrm/xfrm_route.c plugins/kernel-xfrm/xfrm_flush.c \
	plugins/kernel-xfrm/xfrm_vip.c \
	plugins/kernel-xfrm/xfrm_priv.h
testsuite_kernel_xfrm_plugin_drive_CFLAGS = $(testsuite_kernel_test_xfrm_tables_CFLAGS)
testsuite_kernel_xfrm_plugin_drive_CPPFLAGS = $(testsuite_kernel_test_xfrm_tables_CPPFLAGS)
testsuite_kernel_xfrm_plugin_drive_LDADD = lib/ikev2/libospreyike.a $(DAEMON_LIBS) $(LIBNL_LIBS)

# Virtual IPs on an interface (kernel_ops.add_vip / del_vip): a helper
# driven by xfrm_vip_test.py inside a network namespace with a veth pair.
kernel_tests += testsuite/kernel/xfrm_vip_test.py
check_PROGRAMS += testsuite/kernel/xfrm_vip_probe
testsuite_kernel_xfrm_vip_probe_SOURCES = testsuite/kernel/xfrm_vip_probe.c \
	plugins/kernel-xfrm/xfrm.c plugins/kernel-xfrm/xfrm_sa.c \
	plugins/kernel-xfrm/xfrm_policy.c plugins/kernel-xfrm/xfrm_events.c \
	plugins/kernel-xfrm/xfrm_route.c plugins/kernel-xfrm/xfrm_flush.c \
	plugins/kernel-xfrm/xfrm_vip.c plugins/kernel-xfrm/xfrm_priv.h
testsuite_kernel_xfrm_vip_probe_CFLAGS = $(testsuite_kernel_test_xfrm_tables_CFLAGS)
testsuite_kernel_xfrm_vip_probe_CPPFLAGS = $(testsuite_kernel_test_xfrm_tables_CPPFLAGS)
testsuite_kernel_xfrm_vip_probe_LDADD = lib/ikev2/libospreyike.a $(DAEMON_LIBS) $(LIBNL_LIBS)
