/*
 * assets.h — the static files the pages need (GOV.UK Frontend and ours),
 * served under /assets/ before any authentication.
 *
 * Only an allow-list is served, from two roots under the asset directory
 * (SENDHUB_ASSETS, else the working directory, i.e. the repository):
 *
 *   /assets/govuk/govuk-frontend.min.css  node_modules/govuk-frontend/dist/govuk/...
 *   /assets/govuk/govuk-frontend.min.js
 *   /assets/govuk/assets/fonts/<file>     .../dist/govuk/assets/fonts/<file>
 *   /assets/govuk/assets/images/<file>    .../dist/govuk/assets/images/<file>
 *   /assets/fonts/<file>, /assets/images/<file>  the same files, because
 *                                         GOV.UK's CSS refers to them there
 *   /assets/sendhub.css, /assets/sendhub.js      assets/ in the repository
 *
 * Anything else (other names, "..", NUL, backslash, dot files, unknown
 * extensions) is 404. Each file is read once, on first use, into memory
 * that lives until the process ends (at most ASSETS_MAX_FILE bytes per file,
 * ASSETS_MAX_FILES files), under a mutex; later requests copy from memory.
 */
#ifndef SH_WEB_ASSETS_H
#define SH_WEB_ASSETS_H

#include "web/http.h"

#define ASSETS_MAX_FILE (2u << 20)
#define ASSETS_MAX_FILES 64

/* Fills res for a request whose path starts with "/assets/": 200 with the
 * file, its Content-Type and Cache-Control "public, max-age=86400"; 404 (a
 * short text body) when the path is not on the allow-list or the file is
 * missing or too large; 405 for methods other than GET and HEAD. Returns
 * SH_OK when the file was served, else the reason (SH_ENOTFOUND, SH_EINVAL,
 * SH_EIO, SH_ENOMEM) for the server's log. */
int assets_serve(web_request *req, web_response *res);

#endif
