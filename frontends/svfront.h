/*
 * svfront: the domU kernel of splitvisor's split drivers.  Its base (boot,
 * paging, traps, frame allocator, timer, event channels, console ring) is
 * svguest's (tests/guests/svguest.h, xen_events.h): one CPU, RAM below
 * 4 GiB identity-mapped, interrupts off except while waiting, and the only
 * interrupt is the event-channel upcall, which counts events per port in
 * xev_count[].  Drivers here poll their rings and sleep in SCHEDOP_block
 * (xev_wait) until an event comes.
 */
#ifndef SVFRONT_H
#define SVFRONT_H

#include "xen_events.h"
#include <xen/io/xenbus.h>

#define SVF_MAX_DEVS    8

/* ---- gnttab.c: our grant table (version 1), granting frames to others ---- */
/* Maps the table's frames (XENMEM_add_to_physmap, XENMAPSPACE_grant_table). */
const char *gnttab_init(void);
/* A free ref granting domid access to the frame at gfn; 0 if none is left
 * (refs below GNTTAB_NR_RESERVED_ENTRIES are never handed out). */
grant_ref_t gnttab_grant(domid_t domid, uint64_t gfn, bool readonly);
/* Revokes ref and frees it; false (ref kept, granted) while the other
 * domain still has it mapped. */
bool gnttab_end(grant_ref_t ref);
uint32_t gnttab_free_count(void);
uint32_t gnttab_capacity(void);

/* ---- xenbus.c: a xenstore client over the domain's ring ---- */
const char *xenbus_init(void);
/* 0 or a negative Xen errno.  xs_read writes a NUL-terminated value. */
int xs_read(const char *path, char *buf, size_t size);
int xs_write(const char *path, const char *value);
int xs_printf(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int xs_rm(const char *path);
/* The children's names, each NUL-terminated, one after another. */
int xs_directory(const char *path, char *buf, size_t size, unsigned int *count);
/* A decimal node; def if absent or not a number. */
uint64_t xs_read_u64(const char *path, uint64_t def);
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/* Watch events seen so far (all tokens): wait for this to move. */
uint64_t xs_watch_events(void);
/* Wait until xs_watch_events() passes seen, or timeout; false on timeout. */
bool xs_wait_event(uint64_t seen, uint64_t timeout_ms);
/* Read path/state; XenbusStateUnknown (0) if absent. */
enum xenbus_state xenbus_read_state(const char *dir);
int xenbus_switch_state(const char *dir, enum xenbus_state st);
/* Waits (watching dir/state) until its state is one in the mask
 * (1 << state); returns the state, or -1 on timeout. */
int xenbus_wait_state(const char *dir, uint32_t mask, uint64_t timeout_ms);
const char *xenbus_state_name(int st);
/* dir/key as a decimal; def if absent or not a number. */
uint64_t xenbus_read_u64(const char *dir, const char *key, uint64_t def);
int xenbus_printf(const char *dir, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The first device number under device/<kind> (vbd, vif), or -1. */
int xenbus_first_device(const char *kind);
/* "svfront: <dev>: <message>" on the console; returns rc. */
int xenbus_dev_say(const char *dev, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int xenbus_domid(void);                 /* "domid" node; -1 if unknown */

#endif
