/* Deep structural equality of parsed IKE messages, for round-trip tests.
 *
 * Every modelled field is compared, and for every pointer the bytes behind
 * it (never the pointer itself), so two models parsed from different buffers
 * compare equal when they describe the same message.
 *
 * Not compared, because the builder derives them from the rest of the model
 * (a byte-exact round trip checks them instead):
 *   - hdr.length, and hdr.next_payload except for an encrypted IKEv1
 *     message, where the builder takes it from the model;
 *   - a payload's raw body/body_len when its type is modelled (for unknown
 *     types the body is the model and is compared).
 * Also ignored: bytes a field's type makes meaningless (the unused tail of a
 * traffic selector's or NAT-OA's address array, the value of a TLV attribute,
 * the data of a TV one, the EAP type of a Success or Failure). */
#ifndef OSPREY_MSG_EQUAL_H
#define OSPREY_MSG_EQUAL_H

#include <stdbool.h>

#include "ikev1_codec.h"
#include "ikev2_codec.h"

bool ikev2_msg_equal(const struct ikev2_msg *a, const struct ikev2_msg *b);
bool ikev2_chain_equal(const struct ikev2_chain *a, const struct ikev2_chain *b);
bool ikev1_msg_equal(const struct ikev1_msg *a, const struct ikev1_msg *b);
bool ikev1_chain_equal(const struct ikev1_chain *a, const struct ikev1_chain *b);

/* After a comparison returned false: which field differed first, e.g.
 * "payload 3 (type 33): proposal transforms". Static text. */
const char *msg_equal_last_difference(void);

#endif
