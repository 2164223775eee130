/* Trap policies (start_action = trap, dpd_action = trap): policies without
 * SAs whose first matching packet makes the kernel send an ACQUIRE, which
 * starts the CHILD SA (ike_engine_acquire). */
#ifndef OSPREY_DAEMON_TRAPS_H
#define OSPREY_DAEMON_TRAPS_H

#include <stdbool.h>

#include "engine_priv.h"

/* Installs a trap for child config ci of m (nothing when it has one). */
void trap_install(struct engine_glue *g, struct mapped_conn *m, unsigned ci);
/* Installs the traps of every child with start_action = trap. */
void traps_install(struct engine_glue *g, struct mapped_conn *m);
/* Removes every trap of m (reload, shutdown). */
void traps_remove(struct engine_glue *g, struct mapped_conn *m);
/* A kernel ACQUIRE: starts the CHILD SA of the trap with its reqid.
 * false when no trap of ours has that reqid. */
bool traps_acquire(struct engine_glue *g, const struct kernel_event *ev);

#endif
