/* A small pool of threads for the engine's expensive crypto (key exchange,
 * signatures).  Jobs go in from the event loop; finished jobs come back on
 * the loop's thread, woken through an eventfd, so the loop never blocks on
 * crypto. */
#ifndef OSPREY_DAEMON_WORKERS_H
#define OSPREY_DAEMON_WORKERS_H

#include <event2/event.h>
#include <stddef.h>

struct ike_job;
struct workers;

/* done() runs on the loop's thread for each finished job. */
typedef void (*workers_done_fn)(struct ike_job *job, void *arg);

/* nthreads 0: one per CPU, at most 8.  NULL with a sentence in err. */
struct workers *workers_new(struct event_base *base, unsigned nthreads, workers_done_fn done,
			    void *arg, char *err, size_t errlen);
void workers_submit(struct workers *w, struct ike_job *job);
/* Stops the threads; jobs not run or not collected are freed. */
void workers_free(struct workers *w);
unsigned workers_threads(const struct workers *w);
size_t workers_pending(const struct workers *w);

#endif
