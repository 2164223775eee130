/* libFuzzer target: the IKEv2 decoder (lib/ikev2_codec.c) and builder.
 *
 * Each input is read twice:
 *   - as a whole IKEv2 message (ikev2_parse), as it arrives on port 500;
 *     the contents of an SK payload are then parsed as an inner chain;
 *   - as a decrypted inner chain: the first byte is the type of the first
 *     payload (SK's next-payload field), the rest is the chain
 *     (ikev2_parse_chain).
 * Whatever parses is summarised, built again, re-parsed and built once
 * more; see fuzz_common.h for the invariants. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_v2_message(data, size);
	if (size >= 1)
		fuzz_v2_chain(data[0], data + 1, size - 1);
	return 0;
}
