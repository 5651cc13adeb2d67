/*
 * Ticket spinlocks.  Plain C on compiler atomics, so the same code runs in
 * the hypervisor and in the host-built unit tests.
 */
#ifndef SV_SPINLOCK_H
#define SV_SPINLOCK_H

#include <sv/types.h>

typedef struct {
    volatile uint16_t next;   /* next ticket to hand out */
    volatile uint16_t owner;  /* ticket now holding the lock */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void cpu_relax(void)
{
    __builtin_ia32_pause();
}

static inline void spin_lock_init(spinlock_t *l)
{
    l->next = 0;
    l->owner = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    /* Acquire: a successful trylock must see what the last holder wrote
     * before its release of 'owner'. */
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
    uint16_t expect = owner;

    return __atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1),
                                       false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

/*
 * With interrupts off while held, so an interrupt handler on the same CPU
 * can take the lock too (printk from an NMI or a trap).  Host builds have
 * no interrupts to mask.
 */
static inline unsigned long irq_save(void)
{
#ifdef SV_HOSTED
    return 0;
#else
    unsigned long flags;
    __asm__ volatile("pushf; pop %0; cli" : "=r"(flags) :: "memory");
    return flags;
#endif
}

static inline void irq_restore(unsigned long flags)
{
#ifdef SV_HOSTED
    (void)flags;
#else
    if (flags & (1ul << 9))     /* RFLAGS.IF */
        __asm__ volatile("sti" ::: "memory");
#endif
}

#define spin_lock_irqsave(l, flags) do { (flags) = irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { spin_unlock(l); irq_restore(flags); } while (0)

static inline bool spin_is_locked(const spinlock_t *l)
{
    return l->next != l->owner;
}

#endif
