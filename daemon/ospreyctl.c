/* ospreyctl: osprey's command-line tool. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decode.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ospreyctl COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  decode FILE.pcap   print the IKEv1/IKEv2 messages of a capture (pcap or pcapng)\n"
		"  version            print the version\n"
		"\n"
		"decode exits 0 when every IKE message decoded, 3 when some were malformed\n"
		"(each is reported with the payload, field and offset at fault), 1 on errors.\n");
}

static int cmd_decode(int argc, char **argv)
{
	struct decode_stats st;

	if (argc != 2) {
		fprintf(stderr, "ospreyctl decode: expected one capture file\n");
		return 1;
	}
	if (decode_pcap(argv[1], stdout, &st))
		return 1;
	printf("%u frames: %u IKE messages, %u malformed, %u NAT-keepalives, %u ESP-in-UDP, "
	       "%u other\n", st.packets, st.ike, st.malformed, st.keepalives, st.esp, st.other);
	return st.malformed ? 3 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "decode"))
		return cmd_decode(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("ospreyctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "ospreyctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
