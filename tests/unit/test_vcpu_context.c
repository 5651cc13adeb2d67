/* A vCPU's first state (VCPUOP_initialise, SV_DOMCTL_setvcpucontext):
 * what the CPU would refuse, or what we do not run, is -EINVAL. */
#include <string.h>
#include <sv/errno.h>
#include <sv/vcpu_context.h>

#include "suites.h"

#define AR_CODE32 0xc9b         /* G, D, P, S, type 0xb */
#define AR_DATA32 0xc93
#define AR_TSS    0x08b

static struct vcpu_hvm_context pvh_entry(void)
{
    struct vcpu_hvm_context c;
    struct vcpu_hvm_x86_32 *r = &c.cpu_regs.x86_32;

    memset(&c, 0, sizeof(c));
    c.mode = VCPU_HVM_MODE_32B;
    r->eip = 0x100000;
    r->cr0 = 0x11;                      /* PE, ET */
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
    r->cs_ar = AR_CODE32;
    r->ds_ar = r->ss_ar = r->es_ar = AR_DATA32;
    r->tr_ar = AR_TSS;
    r->tr_limit = 0x67;
    return c;
}

static struct vcpu_hvm_context long_mode(void)
{
    struct vcpu_hvm_context c;
    struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;

    memset(&c, 0, sizeof(c));
    c.mode = VCPU_HVM_MODE_64B;
    r->cr0 = 0x80010033;                /* PG WP NE ET MP PE */
    r->cr3 = 0x200000;
    r->cr4 = 0x6a0;                     /* PAE PGE OSFXSR OSXMMEXCPT */
    r->efer = 0xd01;                    /* SCE LME LMA NXE */
    r->rip = 0xffffffff81000000ull;
    r->rsp = 0x7fff0000;
    r->rflags = 2;
    return c;
}

static int check(const struct vcpu_hvm_context *c)
{
    const char *why = NULL;
    int rc = vcpu_context_check(c, &why);

    ck_assert_ptr_nonnull(why);
    ck_assert(rc == 0 ? why[0] == '\0' : why[0] != '\0');
    return rc;
}

START_TEST(test_good_states)
{
    struct vcpu_hvm_context c = pvh_entry();

    ck_assert_int_eq(check(&c), 0);
    c = long_mode();
    ck_assert_int_eq(check(&c), 0);
    /* 32-bit with paging and PAE, and a null TR, are fine too. */
    c = pvh_entry();
    c.cpu_regs.x86_32.cr0 |= 0x80000000u;
    c.cpu_regs.x86_32.cr4 = 0x20;
    c.cpu_regs.x86_32.tr_ar = 0;
    ck_assert_int_eq(check(&c), 0);
}
END_TEST

START_TEST(test_bad_mode)
{
    struct vcpu_hvm_context c = pvh_entry();

    c.mode = 7;
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

START_TEST(test_real_mode_refused)
{
    struct vcpu_hvm_context c = pvh_entry();

    c.cpu_regs.x86_32.cr0 = 0x10;
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

START_TEST(test_reserved_bits)
{
    struct vcpu_hvm_context c = pvh_entry();

    c.cpu_regs.x86_32.cr0 |= 1u << 20;
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.cr4 = 1u << 23;   /* CET: not offered */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.efer = 1u << 12;  /* SVME belongs to us */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = long_mode();
    c.cpu_regs.x86_64.cr3 = 1ull << 60;
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

START_TEST(test_long_mode_needs_paging)
{
    struct vcpu_hvm_context c = long_mode();

    c.cpu_regs.x86_64.cr0 &= ~0x80000000ull;
    ck_assert_int_eq(check(&c), -EINVAL);
    c = long_mode();
    c.cpu_regs.x86_64.cr4 &= ~0x20ull;
    ck_assert_int_eq(check(&c), -EINVAL);
    c = long_mode();
    c.cpu_regs.x86_64.efer &= ~0x100ull;
    ck_assert_int_eq(check(&c), -EINVAL);
    /* Compatibility-mode start (32-bit struct, LME+PG) without PAE. */
    c = pvh_entry();
    c.cpu_regs.x86_32.cr0 |= 0x80000000u;
    c.cpu_regs.x86_32.efer = 0x100;
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

START_TEST(test_non_canonical)
{
    struct vcpu_hvm_context c = long_mode();

    c.cpu_regs.x86_64.rip = 0x0000800000000000ull;
    ck_assert_int_eq(check(&c), -EINVAL);
    c = long_mode();
    c.cpu_regs.x86_64.rsp = 0xfff0000000000000ull;
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

START_TEST(test_bad_segments)
{
    struct vcpu_hvm_context c = pvh_entry();

    c.cpu_regs.x86_32.cs_ar = AR_DATA32;            /* not code */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.cs_ar &= ~0x80;               /* not present */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.cs_ar |= 0x200;               /* L and D together */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.ss_ar = 0;                    /* no stack segment */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.ds_ar |= 0x1000;              /* unused bits */
    ck_assert_int_eq(check(&c), -EINVAL);
    c = pvh_entry();
    c.cpu_regs.x86_32.tr_ar = AR_DATA32;            /* TR must be a system segment */
    ck_assert_int_eq(check(&c), -EINVAL);
}
END_TEST

/* Every single-bit change of a good state is either accepted or refused
 * with a reason, never anything else (no crash, no other errno). */
START_TEST(test_bit_flips)
{
    const struct vcpu_hvm_context good[2] = { pvh_entry(), long_mode() };

    for (unsigned int g = 0; g < 2; g++)
        for (size_t bit = 0; bit < sizeof(good[g]) * 8; bit++) {
            struct vcpu_hvm_context c = good[g];
            int rc;

            ((unsigned char *)&c)[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            rc = check(&c);
            ck_assert(rc == 0 || rc == -EINVAL);
        }
}
END_TEST

Suite *vcpu_context_suite(void)
{
    Suite *s = suite_create("vcpu_context");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_good_states);
    tcase_add_test(tc, test_bad_mode);
    tcase_add_test(tc, test_real_mode_refused);
    tcase_add_test(tc, test_reserved_bits);
    tcase_add_test(tc, test_long_mode_needs_paging);
    tcase_add_test(tc, test_non_canonical);
    tcase_add_test(tc, test_bad_segments);
    tcase_add_test(tc, test_bit_flips);
    suite_add_tcase(s, tc);
    return s;
}
