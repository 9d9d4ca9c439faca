/* errbuf.h — the caller-supplied error buffer convention of host-sim's modules: functions that
 * can fail take (char *err, size_t errlen) and write a one-line message there. */
#ifndef HS_ERRBUF_H
#define HS_ERRBUF_H

#include <stddef.h>

/* printf-format a message into err (truncated to errlen); does nothing when err is NULL or
 * errlen is 0. */
void hs_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
