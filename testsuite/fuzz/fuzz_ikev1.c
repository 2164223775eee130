/* libFuzzer target: the IKEv1 / ISAKMP decoder (lib/ikev1_codec.c) and
 * builder.
 *
 * Each input is read three times:
 *   - as a whole IKEv1 message (ikev1_parse), as it arrives on port 500;
 *     when the encryption flag is set, the ciphertext is then parsed as a
 *     padded plaintext chain, as if a null cipher had decrypted it;
 *   - as a decrypted chain: the first byte is the type of the first payload
 *     (the header's next-payload field), the rest is the chain, parsed
 *     strictly and again with IKEV1_PARSE_ALLOW_PADDING.
 * Whatever parses is summarised, built again, re-parsed and built once
 * more; see fuzz_common.h for the invariants. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_v1_message(data, size);
	if (size >= 1) {
		fuzz_v1_chain(data[0], data + 1, size - 1, 0);
		fuzz_v1_chain(data[0], data + 1, size - 1, IKEV1_PARSE_ALLOW_PADDING);
	}
	return 0;
}
