/*
 * smtp.h — sending one plain-text e-mail through an SMTP relay (libcurl).
 *
 * Why libcurl: it speaks SMTP with STARTTLS and SMTPS, authentication from
 * the URL (smtp://user:password@relay:587), timeouts and a clear error per
 * failure, and it is already a dependency of every Debian system that runs
 * curl. sendhub never talks to recipients' servers itself: a configured
 * relay (the council's mail gateway) does delivery.
 *
 * smtp_global_init() must run once in the main thread before any thread
 * sends (libcurl's global state). smtp_send() is then safe from any thread.
 */
#ifndef SH_UTIL_SMTP_H
#define SH_UTIL_SMTP_H

#include <stddef.h>
#include <stdint.h>

#define SMTP_ADDRESS_MAX 254  /* RFC 5321 path limit */
#define SMTP_RECIPIENTS_MAX 20
#define SMTP_ERROR_MAX 256

int smtp_global_init(void);

/* An address we will put in an envelope and a header: 3..254 bytes, one
 * '@' with text either side, no spaces, control characters, commas, angle
 * brackets, quotes or backslashes (nothing that could add a header or a
 * recipient). */
int smtp_address_ok(const char *addr);

typedef struct {
    const char *url;       /* smtp://host:port or smtps://host:port (credentials may be in it) */
    const char *from;      /* envelope and From: address */
    long timeout_seconds;  /* whole transfer */
} smtp_relay;

/* Sends subject and body (UTF-8 text; lines are sent with CRLF, and a line
 * starting with '.' is left to libcurl's dot-stuffing) to `to[0..n)`.
 * `date` is the Date: header value (RFC 5322), `message_id` the Message-ID
 * without brackets. SH_OK, SH_EINVAL for a bad address or subject (a CR or
 * LF), SH_ELIMIT for too many recipients, SH_EIO when the relay refused or
 * could not be reached: `error` (SMTP_ERROR_MAX bytes) says why. */
int smtp_send(const smtp_relay *relay, const char *const *to, size_t n, const char *subject,
              const char *body, const char *date, const char *message_id,
              char error[SMTP_ERROR_MAX]);

#endif
