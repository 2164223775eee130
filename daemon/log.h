/* Logging with a level per subsystem, to the journal, stderr or a file. */
#ifndef OSPREY_DAEMON_LOG_H
#define OSPREY_DAEMON_LOG_H

#include <stdint.h>

enum log_subsys {
	LOG_IKE, LOG_CHILD, LOG_NET, LOG_KERNEL, LOG_CFG, LOG_CTL, LOG_CRYPTO,
	LOG_SUBSYS_COUNT
};

/* LVL_KEYS is the only level that may print key material; the engine must
 * guard every such message with log_enabled(subsys, LVL_KEYS). It is
 * documented as leaking secrets and is never a default. */
enum log_level {
	LVL_OFF = -1, LVL_ERROR, LVL_WARNING, LVL_NOTICE, LVL_INFO, LVL_DEBUG, LVL_KEYS
};

enum log_target { LOG_TARGET_AUTO, LOG_TARGET_STDERR, LOG_TARGET_JOURNAL, LOG_TARGET_FILE };

/* Context an IKE engine attaches so the journal gets searchable fields.
 * Any member may be zero/NULL. */
struct log_ctx {
	const char *conn;
	uint64_t ike_sa;	/* unique IKE SA id */
	const char *peer;	/* address[:port] */
	uint64_t spi_i, spi_r;	/* IKE SPIs */
	uint32_t child_spi_in, child_spi_out;
};

const char *log_subsys_name(enum log_subsys s);
int log_subsys_parse(const char *name);	/* -1 if unknown */
const char *log_level_name(enum log_level l);
int log_level_parse(const char *name, enum log_level *out);	/* 0 ok, -1 unknown */
extern const char *const log_subsys_names[LOG_SUBSYS_COUNT];
extern const char *const log_level_names[7];	/* "off" .. "keys" */

/* target AUTO picks the journal when stderr is connected to it (systemd sets
 * JOURNAL_STREAM), else stderr. Returns 0, or -1 with errno when the file
 * cannot be opened. */
int log_open(enum log_target target, const char *file);
void log_close(void);
enum log_target log_current_target(void);

void log_set_level(enum log_subsys s, enum log_level l);
enum log_level log_get_level(enum log_subsys s);
int log_enabled(enum log_subsys s, enum log_level l);

/* A listener sees every message that passes the level filter (ospreyctl watch). */
typedef void (*log_hook_fn)(enum log_subsys, enum log_level, const struct log_ctx *,
			    const char *msg, void *arg);
void log_set_hook(log_hook_fn fn, void *arg);

void olog_ctx(enum log_subsys s, enum log_level l, const struct log_ctx *ctx,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define olog(s, l, ...) olog_ctx((s), (l), NULL, __VA_ARGS__)
/* Without the hook: for callers that must not re-enter the event loop's
 * code, such as libevent's log callback. */
void olog_nohook(enum log_subsys s, enum log_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
