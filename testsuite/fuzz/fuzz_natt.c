/* libFuzzer target: a UDP datagram received on port 4500 (RFC 3948).
 *
 * natt_classify() tells a NAT-keepalive, ESP-in-UDP and IKE behind the
 * non-ESP marker apart; the IKE part is re-wrapped with natt_wrap_ike()
 * (which must give the datagram back), then parsed by the IKEv1 or IKEv2
 * codec chosen by the version octet, as the daemon does, with the full
 * build / re-parse / build round trip of fuzz_common.h. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ike_datagram(data, size, true);
	return 0;
}
