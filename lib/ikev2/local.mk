# lib/ikev2: the sans-I/O IKEv2 engine (engine.h DESIGN).
noinst_LIBRARIES += lib/ikev2/libospreyike.a
lib_ikev2_libospreyike_a_SOURCES = \
	lib/ikev2/engine.h lib/ikev2/conn.h lib/ikev2/internal.h \
	lib/ikev2/engine.c lib/ikev2/msg.c lib/ikev2/prop.c lib/ikev2/ts.c \
	lib/ikev2/natd.c lib/ikev2/job.c lib/ikev2/conn.c lib/ikev2/init.c \
	lib/ikev2/auth.c lib/ikev2/child.c lib/ikev2/info.c lib/ikev2/introspect.c lib/ikev2/sig.c \
	lib/ikev2/frag.c lib/ikev2/conn_set.c lib/ikev2/stats.c lib/ikev2/rekey.c \
	lib/ikev2/hs.c lib/ikev2/lifetime.c lib/ikev2/acquire.c lib/ikev2/dpd.c \
	lib/ikev2/linger.c lib/ikev2/cp.c lib/ikev2/pool.c lib/ikev2/pool.h
EXTRA_DIST += lib/ikev2/STATUS.md
