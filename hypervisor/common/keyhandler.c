/* Debug-key dispatch (see sv/keyhandler.h). */
#include <sv/errno.h>
#include <sv/keyhandler.h>
#include <sv/printk.h>

static struct {
    keyhandler_fn fn;
    const char *desc;
} keys[128];

void register_keyhandler(unsigned char key, keyhandler_fn fn, const char *desc)
{
    if (key < 128) {
        keys[key].fn = fn;
        keys[key].desc = desc;
    }
}

static void show_help(unsigned char key)
{
    (void)key;
    printk("Debug keys on the serial console:\n");
    for (unsigned int k = 0; k < 128; k++)
        if (keys[k].fn)
            printk("  '%c'  %s\n", (char)k, keys[k].desc);
}

int handle_keypress(unsigned char key)
{
    if (!keys['h'].fn)
        register_keyhandler('h', show_help, "show this help");
    if (key >= 128 || !keys[key].fn) {
        if (key >= 0x20 && key < 0x7f)
            printk("key '%c' does nothing; 'h' lists the debug keys\n", key);
        return -ENOENT;
    }
    keys[key].fn(key);
    return 0;
}
