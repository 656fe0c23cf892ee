#include "util/smtp.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

#define SMTP_MESSAGE_MAX (256u << 10)

int smtp_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? SH_OK : SH_EIO;
}

int smtp_address_ok(const char *addr)
{
    size_t n = addr ? strlen(addr) : 0;
    if (n < 3 || n > SMTP_ADDRESS_MAX)
        return SH_EINVAL;
    const char *at = strchr(addr, '@');
    if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
        return SH_EINVAL;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr(",<>\"\\()[];:", *p))
            return SH_EINVAL;
    return SH_OK;
}

typedef struct {
    const char *data;
    size_t len, off;
} reader;

static size_t read_payload(char *out, size_t size, size_t nmemb, void *ctx)
{
    reader *r = ctx;
    size_t room = size * nmemb, left = r->len - r->off;
    size_t n = left < room ? left : room;
    memcpy(out, r->data + r->off, n);
    r->off += n;
    return n;
}

/* The message: headers, a blank line, the body with CRLF line ends. */
static int build_message(buf *m, const smtp_relay *relay, const char *const *to, size_t n,
                         const char *subject, const char *body, const char *date,
                         const char *message_id)
{
    int rc = buf_printf(m, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, relay->from);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = buf_printf(m, "%s<%s>", i ? ", " : "", to[i]);
    if (rc == SH_OK)
        rc = buf_printf(m, "\r\nMessage-ID: <%s>\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
                        message_id, subject);
    for (const char *p = body; rc == SH_OK && *p; p++) {
        if (*p == '\r')
            continue;
        rc = *p == '\n' ? buf_append(m, "\r\n", 2) : buf_append(m, p, 1);
    }
    return rc == SH_OK ? buf_append(m, "\r\n", 2) : rc;
}

static int check_input(const smtp_relay *relay, const char *const *to, size_t n,
                       const char *subject, char *error)
{
    if (n == 0 || n > SMTP_RECIPIENTS_MAX) {
        snprintf(error, SMTP_ERROR_MAX, "between 1 and %d recipients", SMTP_RECIPIENTS_MAX);
        return SH_ELIMIT;
    }
    if (smtp_address_ok(relay->from) != SH_OK) {
        snprintf(error, SMTP_ERROR_MAX, "the sender address is not valid");
        return SH_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (smtp_address_ok(to[i]) != SH_OK) {
            snprintf(error, SMTP_ERROR_MAX, "a recipient address is not valid");
            return SH_EINVAL;
        }
    if (strpbrk(subject, "\r\n")) {
        snprintf(error, SMTP_ERROR_MAX, "the subject must be one line");
        return SH_EINVAL;
    }
    return SH_OK;
}

static int transfer(const smtp_relay *relay, const char *const *to, size_t n, reader *r,
                    char *error)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(error, SMTP_ERROR_MAX, "cannot start libcurl");
        return SH_ENOMEM;
    }
    struct curl_slist *rcpt = NULL;
    int rc = SH_OK;
    for (size_t i = 0; i < n && rc == SH_OK; i++) {
        char path[SMTP_ADDRESS_MAX + 3];
        snprintf(path, sizeof path, "<%s>", to[i]);
        struct curl_slist *next = curl_slist_append(rcpt, path);
        if (!next)
            rc = SH_ENOMEM;
        else
            rcpt = next;
    }
    char from[SMTP_ADDRESS_MAX + 3], curl_error[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", relay->from);
    if (rc == SH_OK) {
        curl_easy_setopt(c, CURLOPT_URL, relay->url);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
        curl_easy_setopt(c, CURLOPT_READDATA, r);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->len);
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(c, CURLOPT_TIMEOUT, relay->timeout_seconds);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, relay->timeout_seconds);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
        CURLcode cc = curl_easy_perform(c);
        if (cc != CURLE_OK) {
            long code = 0;
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
            snprintf(error, SMTP_ERROR_MAX, "%.80s%s%.150s (SMTP %ld)", curl_easy_strerror(cc),
                     curl_error[0] ? ": " : "", curl_error, code);
            rc = SH_EIO;
        }
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}

int smtp_send(const smtp_relay *relay, const char *const *to, size_t n, const char *subject,
              const char *body, const char *date, const char *message_id,
              char error[SMTP_ERROR_MAX])
{
    error[0] = '\0';
    int rc = check_input(relay, to, n, subject, error);
    if (rc)
        return rc;
    buf m;
    buf_init(&m, SMTP_MESSAGE_MAX);
    rc = build_message(&m, relay, to, n, subject, body, date, message_id);
    if (rc) {
        snprintf(error, SMTP_ERROR_MAX, "the message is too long");
    } else {
        reader r = {.data = m.data, .len = m.len};
        rc = transfer(relay, to, n, &r, error);
    }
    buf_free(&m);
    return rc;
}
