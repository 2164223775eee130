/* libFuzzer target: a captured link-layer frame, as `ospreyctl decode`
 * reads it (daemon/frame.c), then the IKE decode path on the UDP payload.
 *
 * The first input byte picks the link type (fuzz_frame.h), the rest is the
 * frame. frame_find_udp() must either refuse the frame or return a UDP
 * payload lying inside it; that payload then goes through the daemon's
 * datagram path (fuzz_ike_datagram: non-ESP marker handling when either
 * port is 4500, version sniffing, full IKEv1 or IKEv2 round trip). Unlike
 * decode_pcap(), other ports are decoded too, so that the IKE code is
 * reached whatever ports the mutator writes. */
#include <sys/socket.h>

#include "daemon/frame.h"
#include "fuzz_common.h"
#include "fuzz_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct udp_view u;
	enum frame_result fr;
	int dlt;

	if (size < 1)
		return 0;
	dlt = fuzz_dlts[data[0] % FUZZ_DLT_COUNT];
	data++;
	size--;
	memset(&u, 0, sizeof(u));
	fr = frame_find_udp(dlt, data, size, &u);
	switch (fr) {
	case FRAME_UDP:
		break;
	case FRAME_UNKNOWN_LINK:
		FUZZ_CHECK(dlt == DLT_USER0, "link type %d refused", dlt);
		return 0;
	case FRAME_NOT_UDP:
	case FRAME_FRAGMENT:
	case FRAME_MALFORMED:
		return 0;
	default:
		FUZZ_CHECK(0, "frame_find_udp returned %d", (int)fr);
	}
	FUZZ_CHECK(u.family == AF_INET || u.family == AF_INET6, "family %d", u.family);
	FUZZ_CHECK(u.payload >= data && u.payload <= data + size &&
			   u.len <= (size_t)(data + size - u.payload),
		   "UDP payload [%td, +%zu) outside the %zu-byte frame", u.payload - data, u.len,
		   size);
	fuzz_ike_datagram(u.payload, u.len, u.sport == 4500 || u.dport == 4500);
	return 0;
}
