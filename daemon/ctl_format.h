/* ospreyctl's human-readable output, made from the daemon's JSON replies. */
#ifndef OSPREY_DAEMON_CTL_FORMAT_H
#define OSPREY_DAEMON_CTL_FORMAT_H

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>

void fmt_status(json_object *result, FILE *out);
void fmt_conns(json_object *result, FILE *out);
void fmt_sas(json_object *result, FILE *out);
void fmt_stats(json_object *result, FILE *out);
void fmt_kernel(json_object *result, FILE *out);
void fmt_levels(json_object *result, FILE *out);
void fmt_reload(json_object *result, FILE *out);
void fmt_event(json_object *event, FILE *out);
/* An {"ok": false} reply: the error and, for reload, each config error. */
void fmt_error(json_object *reply, FILE *out);

/* "1h 2m", "45s", "never" for -1 */
void fmt_duration(int64_t s, char *buf, size_t len);
/* "1.5 MiB", "512 B" */
void fmt_bytes(uint64_t b, char *buf, size_t len);

#endif
