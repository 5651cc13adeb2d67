/*
 * xs_bench.c - xenstored throughput and watch latency, measured through
 * Debian's libxenstore over the daemon's Unix socket (XENSTORED_PATH).
 *
 * The same client measures every daemon, so the numbers compare daemons,
 * not clients.  Each phase is one synchronous request after another on one
 * connection (libxenstore waits for each reply), so ops/s is 1 / round trip.
 *
 *   write, read, directory, rm   N keys (default 10000) in 100 directories
 *                                of N/100: /bench/dXX/kNNNNN.  "directory"
 *                                lists a key's parent (100 children) once per
 *                                key, so it also counts N operations.
 *   txn                          T transactions (default 1000): start, 10
 *                                writes, commit; EAGAIN is retried and counted.
 *   watch                        E events (default 2000): one connection
 *                                watches /bench/w, another writes /bench/w/v;
 *                                latency is from just before xs_write() to
 *                                xs_read_watch() returning the event, on
 *                                CLOCK_MONOTONIC.
 *
 * Output, one row per line: "<row> <value> <unit>", e.g. "write 41234.5 ops/s".
 * Exit 1 on any failed request (a wrong answer is a failed benchmark).
 *
 * Usage: xs_bench [-n KEYS] [-t TXNS] [-e EVENTS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#define NDIRS		100
#define TXN_WRITES	10

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "xs_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct xs_handle *connect_daemon(void)
{
	/* Socket only: never fall back to /dev/xen/xenbus. */
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);

	if (!h)
		die("xs_open (is XENSTORED_PATH set?)");
	return h;
}

static void key_path(char *buf, size_t len, int i)
{
	snprintf(buf, len, "/bench/d%02d/k%05d", i % NDIRS, i);
}

static void row(const char *name, double value, const char *unit)
{
	printf("%-10s %12.1f %s\n", name, value, unit);
	fflush(stdout);
}

static void bench_keys(struct xs_handle *h, int n)
{
	char path[64], val[32], dir[32];
	double t0;
	int i;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		key_path(path, sizeof(path), i);
		snprintf(val, sizeof(val), "value-%d", i);
		if (!xs_write(h, XBT_NULL, path, val, strlen(val)))
			die(path);
	}
	row("write", n / (now_s() - t0), "ops/s");

	t0 = now_s();
	for (i = 0; i < n; i++) {
		unsigned int len;
		char *got;

		key_path(path, sizeof(path), i);
		snprintf(val, sizeof(val), "value-%d", i);
		got = xs_read(h, XBT_NULL, path, &len);
		if (!got)
			die(path);
		if (len != strlen(val) || memcmp(got, val, len) != 0) {
			fprintf(stderr, "xs_bench: %s: wrong value\n", path);
			exit(1);
		}
		free(got);
	}
	row("read", n / (now_s() - t0), "ops/s");

	/* Every directory holds n / NDIRS keys (those with i % NDIRS == d). */
	t0 = now_s();
	for (i = 0; i < n; i++) {
		unsigned int num, want = n / NDIRS + (i % NDIRS < n % NDIRS);
		char **names;

		snprintf(dir, sizeof(dir), "/bench/d%02d", i % NDIRS);
		names = xs_directory(h, XBT_NULL, dir, &num);
		if (!names)
			die(dir);
		if (num != want) {
			fprintf(stderr, "xs_bench: %s: %u children, want %u\n",
				dir, num, want);
			exit(1);
		}
		free(names);
	}
	row("directory", n / (now_s() - t0), "ops/s");

	t0 = now_s();
	for (i = 0; i < n; i++) {
		key_path(path, sizeof(path), i);
		if (!xs_rm(h, XBT_NULL, path))
			die(path);
	}
	row("rm", n / (now_s() - t0), "ops/s");
}

static void bench_txns(struct xs_handle *h, int ntx)
{
	char path[64], val[16];
	int i, j, retries = 0;
	double t0;

	t0 = now_s();
	for (i = 0; i < ntx; i++) {
		xs_transaction_t t;
again:
		t = xs_transaction_start(h);
		if (t == XBT_NULL)
			die("xs_transaction_start");
		for (j = 0; j < TXN_WRITES; j++) {
			snprintf(path, sizeof(path), "/bench/tx/%d/%d", i % 100, j);
			snprintf(val, sizeof(val), "%d", i);
			if (!xs_write(h, t, path, val, strlen(val)))
				die(path);
		}
		if (!xs_transaction_end(h, t, false)) {
			if (errno == EAGAIN) {
				retries++;
				goto again;
			}
			die("xs_transaction_end");
		}
	}
	row("txn", ntx / (now_s() - t0), "txn/s");
	if (retries)
		fprintf(stderr, "xs_bench: %d transactions retried (EAGAIN)\n",
			retries);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Blocks until the watch fires; returns true if it was for want_path. */
static bool read_event(struct xs_handle *w, const char *want_path)
{
	unsigned int num;
	char **ev = xs_read_watch(w, &num);
	bool match;

	if (!ev)
		die("xs_read_watch");
	match = strcmp(ev[XS_WATCH_PATH], want_path) == 0 &&
		strcmp(ev[XS_WATCH_TOKEN], "bench") == 0;
	free(ev);
	return match;
}

static void bench_watch(struct xs_handle *writer, int nev)
{
	struct xs_handle *watcher = connect_daemon();
	double *lat = calloc((size_t)nev, sizeof(*lat));
	char val[16];
	int i;

	if (!lat)
		die("calloc");
	if (!xs_write(writer, XBT_NULL, "/bench/w/v", "0", 1))
		die("/bench/w/v");
	if (!xs_watch(watcher, "/bench/w", "bench"))
		die("xs_watch");
	/* The initial event, fired when the watch is set. */
	if (!read_event(watcher, "/bench/w"))
		fprintf(stderr, "xs_bench: unexpected first event\n");

	for (i = 0; i < nev; i++) {
		double t0, t1;

		snprintf(val, sizeof(val), "%d", i);
		t0 = now_s();
		if (!xs_write(writer, XBT_NULL, "/bench/w/v", val, strlen(val)))
			die("/bench/w/v");
		/* Spurious events are allowed (xenstore.txt): skip them. */
		while (!read_event(watcher, "/bench/w/v"))
			;
		t1 = now_s();
		lat[i] = (t1 - t0) * 1e6;
	}
	qsort(lat, (size_t)nev, sizeof(*lat), cmp_double);
	row("watch_p50", lat[nev / 2], "us");
	row("watch_p99", lat[(nev * 99) / 100], "us");

	xs_unwatch(watcher, "/bench/w", "bench");
	xs_close(watcher);
	free(lat);
}

int main(int argc, char **argv)
{
	int nkeys = 10000, ntx = 1000, nev = 2000, opt;
	struct xs_handle *h;

	while ((opt = getopt(argc, argv, "n:t:e:")) != -1) {
		switch (opt) {
		case 'n': nkeys = atoi(optarg); break;
		case 't': ntx = atoi(optarg); break;
		case 'e': nev = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n KEYS] [-t TXNS] [-e EVENTS]\n",
				argv[0]);
			return 2;
		}
	}
	if (nkeys < NDIRS || ntx < 1 || nev < 1) {
		fprintf(stderr, "xs_bench: need KEYS >= %d, TXNS >= 1, EVENTS >= 1\n",
			NDIRS);
		return 2;
	}

	h = connect_daemon();
	xs_rm(h, XBT_NULL, "/bench");	/* leftovers of an earlier run */

	bench_keys(h, nkeys);
	bench_txns(h, ntx);
	bench_watch(h, nev);

	xs_rm(h, XBT_NULL, "/bench");
	xs_close(h);
	return 0;
}
