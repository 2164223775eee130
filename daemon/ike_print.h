/* Human-readable dumps of parsed IKE messages, for `ospreyctl decode` and debug logs. */
#ifndef OSPREY_IKE_PRINT_H
#define OSPREY_IKE_PRINT_H

#include <stdio.h>

#include "ikev1_codec.h"
#include "ikev2_codec.h"

void ikev2_print_msg(FILE *f, const struct ikev2_msg *m);
void ikev2_print_chain(FILE *f, const struct ikev2_chain *c, const char *indent);
void ikev1_print_msg(FILE *f, const struct ikev1_msg *m);
void ikev1_print_chain(FILE *f, const struct ikev1_chain *c, const char *indent);

#endif
