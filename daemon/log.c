/* Logging with a level per subsystem, to the journal, stderr or a file. */
#define _GNU_SOURCE
#include "config.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

const char *const log_subsys_names[LOG_SUBSYS_COUNT] = {
	"ike", "child", "net", "kernel", "cfg", "ctl", "crypto"
};
const char *const log_level_names[7] = {
	"off", "error", "warning", "notice", "info", "debug", "keys"
};

static enum log_level levels[LOG_SUBSYS_COUNT] = {
	LVL_INFO, LVL_INFO, LVL_INFO, LVL_INFO, LVL_INFO, LVL_INFO, LVL_INFO
};
static enum log_target target = LOG_TARGET_STDERR;
static FILE *logfile;
static log_hook_fn hook;
static void *hook_arg;
static int in_hook;

const char *log_subsys_name(enum log_subsys s)
{
	return (unsigned)s < LOG_SUBSYS_COUNT ? log_subsys_names[s] : "?";
}

int log_subsys_parse(const char *name)
{
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if (!strcmp(name, log_subsys_names[i]))
			return i;
	return -1;
}

const char *log_level_name(enum log_level l)
{
	return l >= LVL_OFF && l <= LVL_KEYS ? log_level_names[l + 1] : "?";
}

int log_level_parse(const char *name, enum log_level *out)
{
	for (int i = 0; i < 7; i++)
		if (!strcmp(name, log_level_names[i])) {
			*out = (enum log_level)(i - 1);
			return 0;
		}
	return -1;
}

/* systemd sets JOURNAL_STREAM to "dev:inode" of the stream it connected to
 * stderr; matching it is the documented way to know stderr is the journal. */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int log_open(enum log_target t, const char *file)
{
	if (t == LOG_TARGET_AUTO)
		t = stderr_is_journal() ? LOG_TARGET_JOURNAL : LOG_TARGET_STDERR;
	if (t == LOG_TARGET_FILE) {
		FILE *f = fopen(file, "ae");

		if (!f)
			return -1;
		setvbuf(f, NULL, _IOLBF, 0);
		if (logfile)
			fclose(logfile);
		logfile = f;
	}
	target = t;
	return 0;
}

void log_close(void)
{
	if (logfile)
		fclose(logfile);
	logfile = NULL;
	target = LOG_TARGET_STDERR;
}

enum log_target log_current_target(void)
{
	return target;
}

void log_set_level(enum log_subsys s, enum log_level l)
{
	if ((unsigned)s < LOG_SUBSYS_COUNT)
		levels[s] = l;
}

enum log_level log_get_level(enum log_subsys s)
{
	return (unsigned)s < LOG_SUBSYS_COUNT ? levels[s] : LVL_OFF;
}

int log_enabled(enum log_subsys s, enum log_level l)
{
	return (unsigned)s < LOG_SUBSYS_COUNT && l <= levels[s];
}

void log_set_hook(log_hook_fn fn, void *arg)
{
	hook = fn;
	hook_arg = arg;
}

static int syslog_priority(enum log_level l)
{
	switch (l) {
	case LVL_ERROR: return LOG_ERR;
	case LVL_WARNING: return LOG_WARNING;
	case LVL_NOTICE: return LOG_NOTICE;
	case LVL_INFO: return LOG_INFO;
	default: return LOG_DEBUG;
	}
}

static void to_journal(enum log_subsys s, enum log_level l, const struct log_ctx *c,
		       const char *msg)
{
	struct iovec iov[12];
	char *f[12];
	int n = 0;

	f[n++] = xasprintf("MESSAGE=%s", msg);
	f[n++] = xasprintf("PRIORITY=%d", syslog_priority(l));
	f[n++] = xasprintf("SYSLOG_IDENTIFIER=ospreyd");
	f[n++] = xasprintf("OSPREY_SUBSYSTEM=%s", log_subsys_name(s));
	if (c && c->conn)
		f[n++] = xasprintf("OSPREY_CONN=%s", c->conn);
	if (c && c->ike_sa)
		f[n++] = xasprintf("OSPREY_IKE_SA=%" PRIu64, c->ike_sa);
	if (c && c->peer)
		f[n++] = xasprintf("OSPREY_PEER=%s", c->peer);
	if (c && c->spi_i)
		f[n++] = xasprintf("OSPREY_IKE_SPI_I=%016" PRIx64, c->spi_i);
	if (c && c->spi_r)
		f[n++] = xasprintf("OSPREY_IKE_SPI_R=%016" PRIx64, c->spi_r);
	if (c && c->child_spi_in)
		f[n++] = xasprintf("OSPREY_CHILD_SPI_IN=%08" PRIx32, c->child_spi_in);
	if (c && c->child_spi_out)
		f[n++] = xasprintf("OSPREY_CHILD_SPI_OUT=%08" PRIx32, c->child_spi_out);
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = f[i];
		iov[i].iov_len = strlen(f[i]);
	}
	sd_journal_sendv(iov, n);
	for (int i = 0; i < n; i++)
		free(f[i]);
}

static void ctx_prefix(const struct log_ctx *c, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	if (!c)
		return;
	if (c->conn)
		n += snprintf(buf + n, len - n, "%s", c->conn);
	if (c->ike_sa && (size_t)n < len)
		n += snprintf(buf + n, len - n, "[%" PRIu64 "]", c->ike_sa);
	if (c->peer && (size_t)n < len)
		n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", c->peer);
	if (n && (size_t)n < len)
		snprintf(buf + n, len - n, ": ");
}

static void to_stream(FILE *f, enum log_subsys s, enum log_level l, const struct log_ctx *c,
		      const char *msg)
{
	char pfx[256], ts[40];
	struct timespec now;
	struct tm tm;

	ctx_prefix(c, pfx, sizeof(pfx));
	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld %-6s %-7s %s%s\n", ts, now.tv_nsec / 1000000, log_subsys_name(s),
		log_level_name(l), pfx, msg);
	fflush(f);
}

static void vlog(enum log_subsys s, enum log_level l, const struct log_ctx *ctx, int use_hook,
		 const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (target == LOG_TARGET_JOURNAL)
		to_journal(s, l, ctx, msg);
	else
		to_stream(target == LOG_TARGET_FILE && logfile ? logfile : stderr, s, l, ctx, msg);
	/* The hook may itself log (a watch client failing); do not recurse. */
	if (use_hook && hook && !in_hook) {
		in_hook = 1;
		hook(s, l, ctx, msg, hook_arg);
		in_hook = 0;
	}
}

void olog_ctx(enum log_subsys s, enum log_level l, const struct log_ctx *ctx,
	      const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(s, l))
		return;
	va_start(ap, fmt);
	vlog(s, l, ctx, 1, fmt, ap);
	va_end(ap);
}

void olog_nohook(enum log_subsys s, enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(s, l))
		return;
	va_start(ap, fmt);
	vlog(s, l, NULL, 0, fmt, ap);
	va_end(ap);
}
