/* The xenstore client's Check suites, one per test file. */
#ifndef XS_TEST_SUITES_H
#define XS_TEST_SUITES_H

#include <check.h>

Suite *wire_suite(void);
Suite *hostile_suite(void);
Suite *events_suite(void);
Suite *directory_suite(void);
Suite *escape_suite(void);
Suite *getopt_suite(void);
Suite *tools_suite(void);
Suite *tools_ls_suite(void);

#endif /* XS_TEST_SUITES_H */
