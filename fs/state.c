/*
 * state.c - the daemon's state that is not FUSE's: the machine lock, the
 * trace wake-up, the reset epoch and the boot parameters (so that the ctl
 * language and the special files can be tested without mounting).
 */
#include "fs.h"
#include "kernel/trace.h"

pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t trace_cond = PTHREAD_COND_INITIALIZER;
uint64_t machine_epoch;
struct boot_params fs_boot_params;
void (*fs_events_hook)(void);
bool (*fs_interrupted)(void);

static uint64_t notified_seq;

void fs_lock(void)
{
	pthread_mutex_lock(&machine_lock);
}

/* fs_unlock - see fs.h. */
void fs_unlock(void)
{
	if (trace_seq != notified_seq) {
		notified_seq = trace_seq;
		pthread_cond_broadcast(&trace_cond);
		if (fs_events_hook)
			fs_events_hook();
	}
	pthread_mutex_unlock(&machine_lock);
}
