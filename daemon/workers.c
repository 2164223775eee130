/* The crypto worker pool (workers.h).  Two queues under one mutex: "queued"
 * (threads wait on a condition variable) and "done" (the loop drains it
 * when the eventfd fires).  Jobs are linked through a small wrapper so the
 * engine's struct ike_job stays untouched. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ikev2/engine.h"
#include "util.h"
#include "workers.h"

#define MAX_THREADS 8

struct wjob {
	struct ike_job *job;
	struct wjob *next;
};

struct wqueue {
	struct wjob *head, *tail;
};

struct workers {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct wqueue queued, done;
	size_t pending;		/* submitted, not yet collected */
	bool stop;
	pthread_t threads[MAX_THREADS];
	unsigned n_threads;
	int efd;
	struct event *ev;
	workers_done_fn done_fn;
	void *arg;
};

static void q_push(struct wqueue *q, struct wjob *j)
{
	j->next = NULL;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
}

static struct wjob *q_pop(struct wqueue *q)
{
	struct wjob *j = q->head;

	if (j) {
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
	}
	return j;
}

static void *worker_main(void *arg)
{
	struct workers *w = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct wjob *j;

		while (!w->stop && !w->queued.head)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		j = q_pop(&w->queued);
		pthread_mutex_unlock(&w->lock);
		ike_job_run(j->job);
		pthread_mutex_lock(&w->lock);
		q_push(&w->done, j);
		/* The eventfd counter never overflows here: the loop reads it. */
		if (write(w->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			abort();
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	struct workers *w = arg;
	struct wqueue q;
	uint64_t v;
	struct wjob *j;

	if (read(w->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&w->lock);
	q = w->done;
	w->done.head = w->done.tail = NULL;
	pthread_mutex_unlock(&w->lock);
	while ((j = q_pop(&q))) {
		struct ike_job *job = j->job;

		free(j);
		w->pending--;
		w->done_fn(job, w->arg);
	}
}

struct workers *workers_new(struct event_base *base, unsigned nthreads, workers_done_fn done,
			    void *arg, char *err, size_t errlen)
{
	struct workers *w = xcalloc(1, sizeof(*w));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	if (!nthreads)
		nthreads = cpus > 0 ? (unsigned)cpus : 1;
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	w->done_fn = done;
	w->arg = arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	w->ev = event_new(base, w->efd, EV_READ | EV_PERSIST, on_done, w);
	if (!w->ev || event_add(w->ev, NULL)) {
		snprintf(err, errlen, "cannot watch the workers' eventfd");
		goto fail;
	}
	for (unsigned i = 0; i < nthreads; i++) {
		rc = pthread_create(&w->threads[i], NULL, worker_main, w);
		if (rc) {
			snprintf(err, errlen, "cannot start a crypto worker thread: %s", strerror(rc));
			goto fail;
		}
		w->n_threads++;
	}
	return w;
fail:
	workers_free(w);
	return NULL;
}

void workers_submit(struct workers *w, struct ike_job *job)
{
	struct wjob *j = xmalloc(sizeof(*j));

	j->job = job;
	pthread_mutex_lock(&w->lock);
	q_push(&w->queued, j);
	w->pending++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void q_free(struct wqueue *q)
{
	struct wjob *j;

	while ((j = q_pop(q))) {
		ike_job_free(j->job);
		free(j);
	}
}

void workers_free(struct workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	q_free(&w->queued);
	q_free(&w->done);
	if (w->ev)
		event_free(w->ev);
	if (w->efd >= 0)
		close(w->efd);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

unsigned workers_threads(const struct workers *w)
{
	return w->n_threads;
}

size_t workers_pending(const struct workers *w)
{
	return w->pending;
}
