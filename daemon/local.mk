# daemon/: I/O, the event loop, configuration, control socket, and the tools.
DAEMON_CPPFLAGS = $(AM_CPPFLAGS) -DSYSCONFDIR='"$(sysconfdir)"'

# The configuration loader, shared by ospreyd and its tests.
noinst_LIBRARIES += daemon/libospreyconf.a
daemon_libospreyconf_a_CPPFLAGS = $(DAEMON_CPPFLAGS)
daemon_libospreyconf_a_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
daemon_libospreyconf_a_SOURCES = \
	daemon/util.c daemon/util.h \
	daemon/log.c daemon/log.h \
	daemon/conf.h daemon/conf_priv.h \
	daemon/conf_load.c daemon/conf_value.c daemon/conf_parse.c daemon/conf_check.c \
	daemon/conn_pki.c daemon/conn_pki.h \
	daemon/proposal.c \
	daemon/conf_json.c daemon/conf_json.h \
	daemon/sa_view.c daemon/sa_view.h \
	daemon/stats.c daemon/stats.h \
	daemon/ctl_format.c daemon/ctl_format.h
# Proposal keywords are checked by lib/crypto's registry and parser.
DAEMON_LIBS = daemon/libospreyconf.a lib/crypto/libospreycrypto.a lib/libosprey.a \
	$(MBEDTLS_LIBS) $(LIBCONFIG_LIBS) $(JSONC_LIBS) $(LIBSYSTEMD_LIBS)

sbin_PROGRAMS += daemon/ospreyd
daemon_ospreyd_CPPFLAGS = $(DAEMON_CPPFLAGS) -I$(top_srcdir)/daemon
daemon_ospreyd_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(LIBCONFIG_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS) $(LIBCAPNG_CFLAGS) $(LIBNL_CFLAGS)
daemon_ospreyd_SOURCES = daemon/ospreyd.c daemon/daemon.h \
	daemon/ctl_server.c daemon/ctl_server.h \
	daemon/ctl_cmds.c \
	daemon/notify.c daemon/notify.h \
	daemon/privs.c daemon/privs.h \
	daemon/engine_glue.c daemon/engine_glue.h daemon/engine_priv.h \
	daemon/engine_view.c daemon/engine_events.c \
	daemon/traps.c daemon/traps.h daemon/traffic.c \
	daemon/conn_map.c daemon/conn_map.h \
	daemon/pool.c daemon/pool.h daemon/vip.c \
	daemon/ike_io.c daemon/ike_io.h \
	daemon/workers.c daemon/workers.h \
	daemon/kernel.c daemon/kernel.h \
	plugins/kernel-dryrun/dryrun.c \
	plugins/kernel-xfrm/xfrm.c plugins/kernel-xfrm/xfrm_sa.c \
	plugins/kernel-xfrm/xfrm_policy.c plugins/kernel-xfrm/xfrm_events.c \
	plugins/kernel-xfrm/xfrm_route.c plugins/kernel-xfrm/xfrm_flush.c \
	plugins/kernel-xfrm/xfrm_vip.c \
	plugins/kernel-xfrm/xfrm_priv.h
daemon_ospreyd_LDADD = lib/ikev2/libospreyike.a $(DAEMON_LIBS) $(LIBEVENT_LIBS) \
	$(LIBCAPNG_LIBS) $(LIBNL_LIBS) lib/libosprey.a -lpthread

sbin_PROGRAMS += daemon/ospreyctl
daemon_ospreyctl_SOURCES = daemon/ospreyctl.c \
	daemon/decode.c daemon/decode.h \
	daemon/frame.c daemon/frame.h \
	daemon/ike_print.c daemon/ike_print.h
daemon_ospreyctl_CPPFLAGS = $(DAEMON_CPPFLAGS)
daemon_ospreyctl_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS) $(JSONC_CFLAGS)
daemon_ospreyctl_LDADD = lib/libosprey.a $(DAEMON_LIBS) $(LIBPCAP_LIBS)

EXTRA_DIST += daemon/STATUS.md

# Installed files from conf/ and man/. Paths follow the prefix so that
# `make distcheck` can install as a user; packages use --prefix=/usr.
systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = conf/ospreyd.service
tmpfilesdir = $(prefix)/lib/tmpfiles.d
dist_tmpfiles_DATA = conf/tmpfiles.d/osprey.conf
sysusersdir = $(prefix)/lib/sysusers.d
dist_sysusers_DATA = conf/sysusers.d/osprey.conf
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = conf/bash-completion/ospreyctl
ospreyconfdir = $(sysconfdir)/osprey
dist_ospreyconf_DATA = conf/osprey.conf
dist_man_MANS += man/ospreyd.8 man/ospreyctl.8 man/osprey.conf.5
EXTRA_DIST += conf/ospreyd.service.in conf/conf.d/example.conf.sample
CLEANFILES += conf/ospreyd.service

conf/ospreyd.service: $(srcdir)/conf/ospreyd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) conf && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/conf/ospreyd.service.in > $@.tmp && mv $@.tmp $@
