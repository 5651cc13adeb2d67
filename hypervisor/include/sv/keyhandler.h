/*
 * Debug keys on the hypervisor's serial console (like Xen's): one key, one
 * action.  'h' lists them.
 */
#ifndef SV_KEYHANDLER_H
#define SV_KEYHANDLER_H

typedef void (*keyhandler_fn)(unsigned char key);

void register_keyhandler(unsigned char key, keyhandler_fn fn, const char *desc);
/* Run the handler for key; unknown keys print a hint.  Returns 0 or -ENOENT. */
int handle_keypress(unsigned char key);

#endif
