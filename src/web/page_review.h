/*
 * page_review.h — what the annual review pages (page_review.c) and the
 * phase transfer pages (page_transfer.c) share: loading a case with its
 * review record, and the id an app error links to.
 */
#ifndef SH_WEB_PAGE_REVIEW_H
#define SH_WEB_PAGE_REVIEW_H

#include <stdbool.h>

#include "app/review.h"
#include "web/pages.h"

/* Loads the case in req->params[0] (access decided by pages_case_load, with
 * `write` as there) and its review record and consultations. Renders the
 * error page and returns the rc on failure. */
int page_review_load(web_request *req, web_response *res, bool write, app_review_view *rv);

/* The same, then parses the posted form into *f. */
int page_review_post(web_request *req, web_response *res, bool write, app_review_view *rv,
                     web_form *f);

/* Adds an app error to errs under the id of its control: a date field
 * ("held_on", every date field's name ends in "_on") is typed into three
 * boxes, so its error links to the day box; no field links to `fallback`. */
void page_review_error(web_request *req, pages_errors *errs, const app_error *err,
                       const char *fallback);

#endif
