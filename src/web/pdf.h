/*
 * pdf.h — a PDF of an HTML document, printed by headless Chromium.
 *
 * Why Chromium and not libharu (docs/ARCHITECTURE.md, "PDF export"): the
 * plan's printable page is already accessible HTML; Chromium prints it as
 * a tagged PDF (a structure tree with headings, lists and tables, so screen
 * readers can read it), embeds the fonts it used (any child's name, in any
 * script), and the PDF and the page can never say different things.
 * libharu writes untagged PDFs and would need a second layout of the plan.
 * The costs: Chromium must be installed on the server, and each export
 * starts a browser (about 1-3 s), so exports are limited to PDF_MAX_RUNNING
 * at once and each is killed after PDF_TIMEOUT_S.
 *
 * The HTML is written to a private temporary directory (mode 0700) with a
 * fresh browser profile and the directory is removed afterwards. The
 * document must be self-contained (inline style, no external resources)
 * and should carry a Content-Security-Policy meta element forbidding
 * scripts and fetches (PDF_CSP_META).
 *
 * The browser is $SENDHUB_CHROMIUM, else /usr/bin/chromium.
 */
#ifndef SH_WEB_PDF_H
#define SH_WEB_PDF_H

#include <stddef.h>

#include "util/buf.h"

#define PDF_MAX_RUNNING 2
#define PDF_TIMEOUT_S 60
#define PDF_MAX_BYTES (16u << 20)
#define PDF_CSP_META                                                                       \
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "          \
    "style-src 'unsafe-inline'\">"

/* Prints html[0..len) to a PDF appended to out. SH_EUNAVAIL when the browser
 * is missing, busy (PDF_MAX_RUNNING already) or fails or times out;
 * SH_ELIMIT when the PDF is larger than PDF_MAX_BYTES or out's ceiling;
 * SH_EIO for temporary files. */
int pdf_from_html(const char *html, size_t len, buf *out);

#endif
