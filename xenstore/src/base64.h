/* Standard base64 (RFC 4648, with padding) for binary values in the state
 * file. */
#ifndef XS_BASE64_H
#define XS_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* malloc'd, nul-terminated; NULL on ENOMEM. */
char *base64_encode(const uint8_t *data, size_t len);
/* malloc'd into *out (*outlen bytes); false if not valid base64. */
bool base64_decode(const char *text, uint8_t **out, size_t *outlen);

#endif
