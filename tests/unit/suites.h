/* Every host unit suite; each lives in tests/unit/test_<name>.c. */
#ifndef UNIT_SUITES_H
#define UNIT_SUITES_H

#include <check.h>

Suite *fmt_suite(void);
Suite *logring_suite(void);
Suite *printk_suite(void);
Suite *cmdline_suite(void);
Suite *memmap_suite(void);
Suite *buddy_suite(void);
Suite *xmalloc_suite(void);
Suite *multiboot2_suite(void);
Suite *acpi_suite(void);
Suite *p2m_suite(void);
Suite *guest_walk_suite(void);
Suite *pvh_loader_suite(void);
Suite *x86_decode_suite(void);
Suite *x86_emulate_suite(void);
Suite *shadow_suite(void);
Suite *grant_table_suite(void);
Suite *event_channel_suite(void);
Suite *pvclock_suite(void);
Suite *wallclock_suite(void);
Suite *sched_credit_suite(void);
Suite *vcpu_context_suite(void);
Suite *foreign_map_suite(void);
Suite *dom0_layout_suite(void);
Suite *acpi_dom0_suite(void);
Suite *ipi_guard_suite(void);

#endif
