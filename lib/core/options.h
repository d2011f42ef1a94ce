/*
 * Option structs that carry their size (see winterflow.h, "Option
 * structs"): the first member is a size_t holding sizeof the struct as the
 * caller compiled it. A caller built against an older header has a shorter
 * struct: the library takes the defaults for the fields it lacks. A caller
 * built against a newer header has a longer one: the library accepts it
 * when every byte past its own struct is zero (the Linux extensible-struct
 * rule, as copy_struct_from_user does for clone3 and openat2), so a new
 * option is never silently ignored.
 */
#ifndef WF_OPTIONS_H
#define WF_OPTIONS_H

#include <stddef.h>

/* Fill a caller's struct `o` of `size` bytes with the defaults `def`
 * (`def_size` bytes, this library's struct) and set its size member.
 * Bytes past def_size are zeroed. -1 when size < min (the first version of
 * the struct ended at min). */
int wf_options_init(void *o, size_t size, const void *def, size_t def_size, size_t min);

/* Copy the caller's struct `src` over `dst` (this library's struct,
 * `dst_size` bytes, already holding the defaults). -1 when src's size
 * member is below `min` (never initialised, or another struct) or a byte
 * past dst_size is not zero (an option this library does not know). */
int wf_options_take(void *dst, size_t dst_size, const void *src, size_t min);

#endif
