/* The link types of the frame target, selected by the input's first byte
 * (byte % FUZZ_DLT_COUNT). Shared with mkseeds.c, which writes seeds whose
 * first byte is the index of their link type here. The last entry is a
 * link type daemon/frame.c does not read, for FRAME_UNKNOWN_LINK. */
#ifndef OSPREY_FUZZ_FRAME_H
#define OSPREY_FUZZ_FRAME_H

#include <pcap/dlt.h>

enum {
	FUZZ_DLT_EN10MB,
	FUZZ_DLT_LINUX_SLL,
	FUZZ_DLT_LINUX_SLL2,
	FUZZ_DLT_RAW,
	FUZZ_DLT_NULL,
	FUZZ_DLT_IPV4,
	FUZZ_DLT_IPV6,
	FUZZ_DLT_UNKNOWN,
	FUZZ_DLT_COUNT
};

static const int fuzz_dlts[FUZZ_DLT_COUNT] = {
	[FUZZ_DLT_EN10MB] = DLT_EN10MB,
	[FUZZ_DLT_LINUX_SLL] = DLT_LINUX_SLL,
	[FUZZ_DLT_LINUX_SLL2] = DLT_LINUX_SLL2,
	[FUZZ_DLT_RAW] = DLT_RAW,
	[FUZZ_DLT_NULL] = DLT_NULL,
	[FUZZ_DLT_IPV4] = DLT_IPV4,
	[FUZZ_DLT_IPV6] = DLT_IPV6,
	[FUZZ_DLT_UNKNOWN] = DLT_USER0,
};

#endif
