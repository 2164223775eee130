/* systemd's notify protocol (Type=notify), via libsystemd's sd_notify().
 * Every call is a no-op when NOTIFY_SOCKET is not set. */
#ifndef OSPREY_DAEMON_NOTIFY_H
#define OSPREY_DAEMON_NOTIFY_H

#include <stdint.h>

void notify_ready(const char *status);
void notify_reloading(void);
void notify_stopping(void);
void notify_status(const char *status);
void notify_watchdog(void);
/* The watchdog interval systemd asked for (WatchdogSec=), 0 if none. */
uint64_t notify_watchdog_usec(void);

#endif
