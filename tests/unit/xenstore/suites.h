/* The xenstored suites; each lives in test_<name>.c. */
#ifndef XS_TEST_SUITES_H
#define XS_TEST_SUITES_H

#include <check.h>

Suite *xs_path_suite(void);
Suite *xs_tree_suite(void);
Suite *xs_perms_suite(void);
Suite *xs_txn_suite(void);
Suite *xs_watch_suite(void);
Suite *xs_quota_suite(void);
Suite *xs_directory_suite(void);
Suite *xs_message_suite(void);
Suite *xs_domain_suite(void);
Suite *xs_control_suite(void);
Suite *xs_ring_suite(void);
Suite *xs_persist_suite(void);
Suite *xs_e2e_suite(void);

#endif
