#ifndef OSPREY_DECODE_H
#define OSPREY_DECODE_H

#include <stdio.h>

struct decode_stats {
	unsigned packets;   /* frames read */
	unsigned ike;       /* IKE messages decoded */
	unsigned malformed; /* IKE messages the codec rejected */
	unsigned keepalives;
	unsigned esp;
	unsigned other;     /* frames skipped: not UDP 500/4500, fragments, unknown */
};

/* Decodes one UDP payload seen on port 500 or 4500 and prints it. */
void decode_datagram(FILE *out, const unsigned char *buf, size_t len, int natt,
		     struct decode_stats *st);

/* Prints every IKE message of a pcap or pcapng file. Returns 0 when the file
 * was read, -1 (with a message on stderr) when it could not be. */
int decode_pcap(const char *path, FILE *out, struct decode_stats *st);

#endif
