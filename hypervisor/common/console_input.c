/* Serial input for dom0 or for us (see sv/console_input.h). */
#include <sv/console_input.h>
#include <sv/domain.h>
#include <sv/event_channel.h>
#include <sv/keyhandler.h>
#include <sv/printk.h>
#include <sv/spinlock.h>
#include <asm/serial.h>

#define CTRL_A 0x01

static bool trylock(spinlock_t *l, unsigned long *flags)
{
    *flags = irq_save();
    if (spin_trylock(l))
        return true;
    irq_restore(*flags);
    return false;
}

static spinlock_t lock = SPINLOCK_INIT;
static char ring[512];
static unsigned int head, tail;         /* head - tail bytes wait */
static struct domain *owner;            /* dom0, once it runs */
static bool to_hypervisor;
static unsigned int ctrl_a_run;

void console_input_to(struct domain *d)
{
    owner = d;
    printk("console: input goes to dom0 (press Ctrl-A three times for the hypervisor's keys)\n");
}

void console_input_poll(void)
{
    unsigned long flags;
    bool raise = false;
    int c;

    if (!owner || !trylock(&lock, &flags))
        return;
    while ((c = serial_getc()) >= 0) {
        if (c == CTRL_A && ++ctrl_a_run == 3) {
            ctrl_a_run = 0;
            to_hypervisor = !to_hypervisor;
            printk("console: input goes to %s (Ctrl-A three times switches)\n",
                   to_hypervisor ? "the hypervisor: 'h' lists the keys" : "dom0");
            continue;
        }
        if (c != CTRL_A)
            ctrl_a_run = 0;
        if (to_hypervisor) {
            spin_unlock_irqrestore(&lock, flags);
            handle_keypress((unsigned char)c);
            if (!trylock(&lock, &flags))
                return;
        } else if (head - tail < sizeof(ring)) {
            ring[head++ % sizeof(ring)] = (char)c;
            raise = true;
        }
    }
    spin_unlock_irqrestore(&lock, flags);
    if (raise && owner->evtchn)
        evtchn_send_virq(owner->evtchn, VIRQ_CONSOLE, 0);
}

size_t console_input_read(char *buf, size_t n)
{
    unsigned long flags;
    size_t got = 0;

    console_input_poll();
    spin_lock_irqsave(&lock, flags);
    while (got < n && tail != head)
        buf[got++] = ring[tail++ % sizeof(ring)];
    spin_unlock_irqrestore(&lock, flags);
    return got;
}
