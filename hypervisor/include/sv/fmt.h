/*
 * printf-style formatting into a buffer, freestanding.  Named fmt_* so the
 * host unit tests can link it beside the C library.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ' '#',
 * field width and precision (numbers or '*'), length modifiers hh h l ll z t j.
 * %p prints 0x followed by 16 hex digits.  A NULL %s prints "(null)".
 * Output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had (C99 semantics).
 */
#ifndef SV_FMT_H
#define SV_FMT_H

#include <sv/types.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
