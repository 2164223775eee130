/* The IKEv2 engine inside ospreyd: owned by the libevent loop, fed by the
 * IKE sockets, a timer and the crypto workers; its kernel actions go to the
 * configured kernel backend (daemon/kernel.h).  Implements struct
 * engine_ops (daemon.h) for the control socket. */
#ifndef OSPREY_DAEMON_ENGINE_GLUE_H
#define OSPREY_DAEMON_ENGINE_GLUE_H

struct ospreyd;

/* Starts the engine: kernel backend, sockets, workers, connections (and
 * start_action = start).  0, or -1 when no engine can run here (logged);
 * the daemon then runs without one and says so. */
int engine_glue_start(struct ospreyd *d);
/* Frees everything (after the shutdown hook). */
void engine_glue_free(struct ospreyd *d);

#endif
