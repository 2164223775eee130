/* The SA view's path to the user: fake engine data goes through
 * sa_table_to_json() (what the daemon sends), is serialised and parsed again
 * (the socket), and is printed by ospreyctl's formatter. */
#define _GNU_SOURCE
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf_json.h"
#include "ctl_format.h"
#include "sa_view.h"

static struct child_sa_view children[] = {
	{ .name = "lan", .unique_id = 3, .state = "INSTALLED", .mode = "tunnel",
	  .spi_in = 0xc1234567, .spi_out = 0x0000abcd, .encr = "aes256gcm16",
	  .bytes_in = 1536, .bytes_out = 3 * 1024 * 1024, .packets_in = 12, .packets_out = 2048,
	  .idle = 4, .rekey_in = 3300, .expire_in = 3900, .local_ts = "10.1.0.0/16",
	  .remote_ts = "10.2.0.0/16" },
	{ .name = "dns", .unique_id = 4, .state = "REKEYING", .mode = "transport",
	  .spi_in = 1, .spi_out = 2, .encr = "aes128", .integ = "sha256", .dh = "ecp256",
	  .idle = -1, .rekey_in = -1, .expire_in = 59, .local_ts = "192.0.2.1/32[udp/53]",
	  .remote_ts = "198.51.100.1/32" },
};

static struct ike_sa_view sas[] = {
	{ .conn = "site", .unique_id = 7, .version = 2, .state = "ESTABLISHED", .initiator = true,
	  .local_addr = "192.0.2.1", .local_port = 500, .remote_addr = "198.51.100.1",
	  .remote_port = 4500, .local_id = "gw-a.example.org", .remote_id = "gw-b.example.org",
	  .spi_i = 0x0123456789abcdefULL, .spi_r = 0x42, .encr = "aes256gcm16",
	  .prf = "prfsha384", .dh = "x25519", .established = 120, .rekey_in = 14280,
	  .expire_in = 100000, .children = children, .n_children = 2 },
	{ .conn = "other", .unique_id = 9, .version = 1, .state = "CONNECTING",
	  .local_addr = "192.0.2.1", .local_port = 500, .remote_addr = "203.0.113.5",
	  .remote_port = 500, .local_id = "a", .remote_id = "b", .spi_i = 1,
	  .encr = "aes256", .integ = "sha256", .prf = "prfsha256", .dh = "modp3072",
	  .established = -1, .rekey_in = -1, .expire_in = -1 },
};

static const struct sa_table table = { sas, 2 };

/* What goes over the socket: JSON text, parsed again on the other side. */
static json_object *over_the_wire(json_object *o)
{
	json_object *back = json_tokener_parse(json_object_to_json_string(o));

	json_object_put(o);
	assert_non_null(back);
	return back;
}

static char *capture(void (*fmt)(json_object *, FILE *), json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fmt(o, f);
	fclose(f);
	return buf;
}

static void test_sa_json(void **state)
{
	json_object *o = over_the_wire(sa_table_to_json(&table, NULL)), *a, *sa, *ch, *v;

	(void)state;
	assert_true(json_object_object_get_ex(o, "ike_sas", &a));
	assert_int_equal(json_object_array_length(a), 2);
	sa = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(sa, "spi_i", &v));
	assert_string_equal(json_object_get_string(v), "0123456789abcdef");
	assert_true(json_object_object_get_ex(sa, "spi_r", &v));
	assert_string_equal(json_object_get_string(v), "0000000000000042");
	assert_true(json_object_object_get_ex(sa, "role", &v));
	assert_string_equal(json_object_get_string(v), "initiator");
	assert_false(json_object_object_get_ex(sa, "integ", &v));	/* AEAD */
	assert_true(json_object_object_get_ex(sa, "child_sas", &ch));
	ch = json_object_array_get_idx(ch, 0);
	assert_true(json_object_object_get_ex(ch, "spi_out", &v));
	assert_string_equal(json_object_get_string(v), "0000abcd");
	assert_true(json_object_object_get_ex(ch, "bytes_out", &v));
	assert_int_equal(json_object_get_int64(v), 3 * 1024 * 1024);
	json_object_put(o);
	assert_int_equal(sa_table_child_count(&table), 2);
}

static void test_sa_filter(void **state)
{
	json_object *o = sa_table_to_json(&table, "other"), *a;

	(void)state;
	assert_true(json_object_object_get_ex(o, "ike_sas", &a));
	assert_int_equal(json_object_array_length(a), 1);
	json_object_put(o);
	o = sa_table_to_json(&table, "nothing");
	assert_true(json_object_object_get_ex(o, "ike_sas", &a));
	assert_int_equal(json_object_array_length(a), 0);
	json_object_put(o);
}

static void test_sa_table_text(void **state)
{
	static const char expect[] =
"SA    NAME   STATE               PEER / SELECTORS                          IDENTITIES                           ALGORITHMS                        SPIS                                   TRAFFIC IN / OUT                                  REKEY / EXPIRE\n"
"#7    site   ESTABLISHED         198.51.100.1[4500]                        gw-a.example.org - gw-b.example.org  aes256gcm16/prfsha384/x25519      0123456789abcdef_i 0000000000000042_r                                                    3h 58m / 1d 3h\n"
"  #3  lan    INSTALLED tunnel    10.1.0.0/16 === 10.2.0.0/16                                                    aes256gcm16                       c1234567_in 0000abcd_out               1.5 KiB (12 pkts) / 3.0 MiB (2048 pkts), idle 4s  55m 0s / 1h 5m\n"
"  #4  dns    REKEYING transport  192.0.2.1/32[udp/53] === 198.51.100.1/32                                       aes128/sha256/ecp256              00000001_in 00000002_out               0 B (0 pkts) / 0 B (0 pkts)                       never / 59s\n"
"#9    other  CONNECTING          203.0.113.5[500]                          a - b                                aes256/sha256/prfsha256/modp3072  0000000000000001_i 0000000000000000_r                                                    never / never\n";
	json_object *o = over_the_wire(sa_table_to_json(&table, NULL));
	char *text = capture(fmt_sas, o);

	(void)state;
	if (strcmp(text, expect))
		print_message("got:\n%s", text);
	assert_string_equal(text, expect);
	free(text);
	json_object_put(o);
}

static void test_sa_table_empty(void **state)
{
	struct sa_table none = { NULL, 0 };
	json_object *o = over_the_wire(sa_table_to_json(&none, NULL));
	char *text = capture(fmt_sas, o);

	(void)state;
	assert_string_equal(text, "no IKE SAs\n");
	free(text);
	json_object_put(o);
}

static void test_units(void **state)
{
	char b[32];

	(void)state;
	fmt_duration(-1, b, sizeof(b));
	assert_string_equal(b, "never");
	fmt_duration(59, b, sizeof(b));
	assert_string_equal(b, "59s");
	fmt_duration(3661, b, sizeof(b));
	assert_string_equal(b, "1h 1m");
	fmt_duration(90061, b, sizeof(b));
	assert_string_equal(b, "1d 1h");
	fmt_bytes(1023, b, sizeof(b));
	assert_string_equal(b, "1023 B");
	fmt_bytes(1024 * 1024 * 5 / 2, b, sizeof(b));
	assert_string_equal(b, "2.5 MiB");
}

static void test_reload_text(void **state)
{
	struct conf_diff d = { 0 };
	json_object *o;
	char *text;

	(void)state;
	strv_add(&d.added, "new1");
	strv_add(&d.added, "new2");
	strv_add(&d.changed, "site");
	d.unchanged = 4;
	o = over_the_wire(conf_diff_to_json(&d));
	text = capture(fmt_reload, o);
	assert_string_equal(text, "configuration reloaded\n"
			    "  added:      new1, new2\n"
			    "  removed:    -\n"
			    "  changed:    site (new settings apply to new SAs)\n"
			    "  unchanged:  4\n");
	free(text);
	json_object_put(o);
	conf_diff_free(&d);
}

static void test_error_text(void **state)
{
	struct conf_errors e = { 0 };
	json_object *r = json_object_new_object();
	char *text;

	(void)state;
	e.v = calloc(1, sizeof(*e.v));
	e.n = 1;
	e.v[0].file = strdup("/etc/osprey/osprey.conf");
	e.v[0].line = 12;
	e.v[0].setting = strdup("connections.a.version");
	e.v[0].message = strdup("IKE version must be 1 or 2, not 3");
	json_object_object_add(r, "ok", json_object_new_boolean(0));
	json_object_object_add(r, "error", json_object_new_string("configuration rejected"));
	json_object_object_add(r, "errors", conf_errors_to_json(&e));
	r = over_the_wire(r);
	text = capture(fmt_error, r);
	assert_string_equal(text, "error: configuration rejected\n"
			    "  /etc/osprey/osprey.conf:12: connections.a.version: IKE version must "
			    "be 1 or 2, not 3\n");
	free(text);
	json_object_put(r);
	conf_errors_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_json),
		cmocka_unit_test(test_sa_filter),
		cmocka_unit_test(test_sa_table_text),
		cmocka_unit_test(test_sa_table_empty),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_reload_text),
		cmocka_unit_test(test_error_text),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
