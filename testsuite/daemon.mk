# Daemon tests (config, control socket, notify).
DAEMON_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBCONFIG_CFLAGS) $(JSONC_CFLAGS)
DAEMON_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon -DSYSCONFDIR='"$(sysconfdir)"'
DAEMON_TEST_LDADD = $(DAEMON_LIBS) $(CMOCKA_LIBS)

daemon_unit_tests = \
	testsuite/daemon/test_config \
	testsuite/daemon/test_format

check_PROGRAMS += $(daemon_unit_tests)
TESTS += $(daemon_unit_tests)

testsuite_daemon_test_config_SOURCES = testsuite/daemon/test_config.c
testsuite_daemon_test_config_CFLAGS = $(DAEMON_TEST_CFLAGS)
testsuite_daemon_test_config_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
testsuite_daemon_test_config_LDADD = $(DAEMON_TEST_LDADD)
testsuite_daemon_test_format_SOURCES = testsuite/daemon/test_format.c
testsuite_daemon_test_format_CFLAGS = $(DAEMON_TEST_CFLAGS)
testsuite_daemon_test_format_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
testsuite_daemon_test_format_LDADD = $(DAEMON_TEST_LDADD)

# Scripts that run the real ospreyd and ospreyctl (TAP on stdout).
daemon_script_tests = \
	testsuite/daemon/ctl_test.py \
	testsuite/daemon/ctl_robust_test.py \
	testsuite/daemon/notify_test.py \
	testsuite/daemon/reload_test.py \
	testsuite/daemon/files_test.sh \
	testsuite/daemon/privs_test.py
TESTS += $(daemon_script_tests)
EXTRA_DIST += $(daemon_script_tests) testsuite/daemon/harness.py
