# daemon/: I/O, the event loop, configuration, control socket, and the tools.
sbin_PROGRAMS += daemon/ospreyctl
daemon_ospreyctl_SOURCES = daemon/ospreyctl.c \
	daemon/decode.c daemon/decode.h \
	daemon/frame.c daemon/frame.h \
	daemon/ike_print.c daemon/ike_print.h
daemon_ospreyctl_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS)
daemon_ospreyctl_LDADD = lib/libosprey.a $(LIBPCAP_LIBS)
