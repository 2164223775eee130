# lib/: the sans-I/O core. No sockets, no libevent, no netlink, no libconfig here.
noinst_LIBRARIES += lib/libosprey.a
lib_libosprey_a_SOURCES = \
	lib/wire.c lib/wire.h \
	lib/ike_error.c lib/ike_error.h \
	lib/ike_attr.c lib/ike_attr.h \
	lib/ike_hdr.c lib/ike_hdr.h \
	lib/ike_names.c lib/ike_names.h \
	lib/ikev2_const.h lib/ikev1_const.h \
	lib/ikev2_codec.c lib/ikev2_codec.h \
	lib/ikev2_build.c \
	lib/ikev1_codec.c lib/ikev1_codec.h \
	lib/ikev1_build.c \
	lib/natt.c lib/natt.h
