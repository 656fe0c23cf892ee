/*
 * page_plan.c — a child's EHC plan: the coordinator's editor (sections A to
 * K, item by item, with the links from needs to outcomes and provision and
 * the warnings an inspector would raise), issuing it (which records the
 * journey event and keeps the version), the issued versions and their
 * comparison section by section, and the printable view and its PDF.
 *
 * Everyone who may see the case may read its plan; only people who may
 * record events (coordinators, managers) edit and issue it. Every page
 * audits its read; every change is audited by the app in its transaction.
 *
 * The editor (GET /cases/{id}/plan, the page opened most) keeps its content
 * (everything below the banner: the warnings, sections A to K, the issue
 * form) in web/fragment_cache while the database is unchanged, for people
 * who see their whole area (coordinators, managers, inspectors), keyed on
 * the area, the case, whether the person may edit and "today"
 * (content_key). The content holds nothing of the person's session: the
 * issue form's CSRF field is written into it for each request. Sign-in
 * (the route's gate), the access decision (through the key: see
 * content_key) and the "read plan" audit entry happen on every request;
 * health, social care and setting staff, whose access depends on rows, and
 * PostgreSQL (no data version) always take the full path.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "app/app_plan.h"
#include "app/portal.h"
#include "util/err.h"
#include "web/fragment_cache.h"
#include "web/pages.h"
#include "web/pdf.h"

#define SHORT_TEXT 110 /* bytes of a need quoted beside its checkbox */

/* The case and its plan, loaded and checked for access. */
typedef struct {
    app_case_view v;
    app_plan_view pv;
    const char *name; /* the child's name */
} plan_page;

static int load(web_request *req, web_response *res, bool write, plan_page *pp)
{
    int rc = pages_case_load(req, res, write, &pp->v);
    if (rc)
        return rc;
    app_error err = {0};
    rc = app_plan_load(req->db, &req->who, &pp->v, req->a, &pp->pv, &err);
    if (rc)
        return pages_fail(req, res, rc);
    pp->name = arena_printf(req->a, "%s %s", pp->v.child.forename, pp->v.child.surname);
    return pp->name ? SH_OK : pages_fail(req, res, SH_ENOMEM);
}

/* load() for an issued version's page and PDF: these a family account may
 * read too, for a child linked to it (the family portal, issue 7); the
 * working draft and the editor stay the council's. */
static int load_version(web_request *req, web_response *res, plan_page *pp)
{
    if (!access_can(&req->who, CAN_USE_PORTAL))
        return load(req, res, false, pp);
    int rc = pages_portal_case_load(req, res, &pp->v);
    if (rc)
        return rc;
    memset(&pp->pv, 0, sizeof pp->pv); /* versions only: no working draft, no advice */
    plan_init(&pp->pv.draft);
    rc = portal_plan_versions(req->db, &req->who, &pp->v, req->a, &pp->pv.versions,
                              &pp->pv.n_versions);
    if (rc)
        return pages_fail(req, res, rc);
    pp->name = arena_printf(req->a, "%s %s", pp->v.child.forename, pp->v.child.surname);
    return pp->name ? SH_OK : pages_fail(req, res, SH_ENOMEM);
}

/* load() for a POST, and its form. */
static int load_form(web_request *req, web_response *res, plan_page *pp, web_form *f)
{
    int rc = load(req, res, true, pp);
    if (rc == SH_OK && (rc = pages_form(req, f)))
        return pages_fail(req, res, rc);
    return rc;
}

static const char *label_of(arena *a, plan_section s, int id)
{
    char l[PLAN_LABEL_MAX];
    const char *out = arena_strdup(a, plan_ref_label((plan_ref){s, id}, l, sizeof l));
    return out ? out : "";
}

/* The first `max` bytes of s, cut at a character boundary, with "..." */
static const char *short_text(arena *a, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    const char *out = arena_printf(a, "%.*s...", (int)max, s);
    return out ? out : s;
}

static const char *kind_word(plan_section s)
{
    switch (plan_section_kind(s)) {
    case PLAN_KIND_NEED: return "need";
    case PLAN_KIND_OUTCOME: return "outcome";
    case PLAN_KIND_PROVISION: return "provision";
    case PLAN_KIND_ADVICE: return "advice";
    default: return "entry";
    }
}

const char *pages_plan_kind_label(store_plan_kind k)
{
    switch (k) {
    case STORE_PLAN_FINAL: return "Final plan";
    case STORE_PLAN_PROPOSED: return "Proposed amendments";
    case STORE_PLAN_AMENDED: return "Amended plan";
    default: return "Draft plan";
    }
}

/* ---- the plan's sections, shared by the editor, the printable view and the PDF ---- */

typedef struct {
    web_request *req;
    buf *b;
    int64_t case_id;
    const plan *p;
    const plan_issue *issues; /* warnings shown on their items (editor), or NULL */
    size_t n_issues;
    bool edit;                /* "Add" and "Change" links */
    const plan_advice *advice;/* editor: advice received, for section K */
    size_t n_advice;
    const char *setting_name; /* section I's setting by name, NULL to look it up */
} doc;

static int links_text(doc *d, const plan_item *it, const char *none)
{
    if (it->n_links == 0)
        return html_fmt(d->b, "%s", none);
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < it->n_links; i++) {
        char l[PLAN_LABEL_MAX];
        rc = html_fmt(d->b, "%s%s", i ? ", " : "", plan_ref_label(it->links[i], l, sizeof l));
    }
    return rc;
}

static int item_warnings(doc *d, const plan_item *it)
{
    int rc = SH_OK;
    for (size_t i = 0; rc == SH_OK && i < d->n_issues; i++)
        if (d->issues[i].section == it->section && d->issues[i].id == it->id)
            rc = html_fmt(d->b, "<p class=\"govuk-body-s sendhub-plan-warning\">"
                                "<strong class=\"govuk-tag govuk-tag--orange\">Warning</strong> "
                                "%s</p>\n",
                          d->issues[i].message);
    return rc;
}

static int provision_value(doc *d, const plan_item *it)
{
    const char *q = plan_quantity_text(it, d->req->a);
    int rc = html_fmt(d->b, "<p class=\"govuk-body sendhub-plan-text\">%s</p>\n"
                            "<ul class=\"govuk-list govuk-body-s\">\n"
                            "<li><strong>Who delivers it:</strong> %s</li>\n"
                            "<li><strong>How often and for how long:</strong> %s</li>\n"
                            "<li><strong>Meets needs:</strong> ",
                      it->text, it->who[0] ? it->who : "not given",
                      q && q[0] ? q : "not given");
    if (rc == SH_OK)
        rc = links_text(d, it, "none");
    return rc ? rc : html_fmt(d->b, "</li>\n</ul>\n");
}

static int item_value(doc *d, const plan_item *it)
{
    int rc;
    switch (plan_section_kind(it->section)) {
    case PLAN_KIND_PROVISION:
        rc = provision_value(d, it);
        break;
    case PLAN_KIND_OUTCOME:
        rc = html_fmt(d->b, "<p class=\"govuk-body sendhub-plan-text\">%s</p>\n"
                            "<p class=\"govuk-body-s\"><strong>For needs:</strong> ",
                      it->text);
        if (rc == SH_OK)
            rc = links_text(d, it, "none");
        if (rc == SH_OK)
            rc = html_fmt(d->b, "</p>\n");
        break;
    case PLAN_KIND_ADVICE:
        rc = html_fmt(d->b, "<p class=\"govuk-body-s\"><strong>%s</strong>, received %D</p>\n"
                            "<p class=\"govuk-body sendhub-plan-text\">%s</p>\n",
                      it->agency == AGENCY_NONE ? "Agency not given"
                                                : event_agency_label(it->agency),
                      it->date, it->text);
        break;
    default:
        rc = html_fmt(d->b, "<p class=\"govuk-body sendhub-plan-text\">%s</p>\n", it->text);
        break;
    }
    return rc ? rc : item_warnings(d, it);
}

static int item_row(doc *d, const plan_item *it)
{
    const char *label = label_of(d->req->a, it->section, it->id);
    int rc = html_fmt(d->b, "<div class=\"govuk-summary-list__row%r\" id=\"item-%s\">\n"
                            "<dt class=\"govuk-summary-list__key\">%s</dt>\n"
                            "<dd class=\"govuk-summary-list__value\">\n",
                      d->edit ? "" : " govuk-summary-list__row--no-actions", label, label);
    if (rc == SH_OK)
        rc = item_value(d, it);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "</dd>\n");
    if (rc == SH_OK && d->edit)
        rc = html_fmt(d->b, "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" "
                            "href=\"/cases/%lld/plan/item?section=%s&amp;item=%d\">Change"
                            "<span class=\"govuk-visually-hidden\"> %s %s</span></a></dd>\n",
                      (long long)d->case_id, plan_section_name(it->section), it->id,
                      kind_word(it->section), label);
    return rc ? rc : html_fmt(d->b, "</div>\n");
}

static int setting_rows(doc *d)
{
    const plan *p = d->p;
    const char *name = d->setting_name;
    if (!name && p->setting_urn[0] &&
        store_setting_name(d->req->db, p->setting_urn, d->req->a, &name) != SH_OK)
        name = NULL;
    const char *named = !p->setting_urn[0] ? "Not named"
                        : name ? arena_printf(d->req->a, "%s (URN %s)", name, p->setting_urn)
                               : arena_printf(d->req->a, "URN %s", p->setting_urn);
    const char *type = p->setting_type == PLAN_SETTING_NONE
                           ? "Not given"
                           : plan_setting_type_label(p->setting_type);
    const char *no_actions = d->edit ? "" : " govuk-summary-list__row--no-actions";
    int rc = html_fmt(d->b, "<dl class=\"govuk-summary-list\">\n"
                            "<div class=\"govuk-summary-list__row%r\" id=\"item-I\">\n"
                            "<dt class=\"govuk-summary-list__key\">School or other institution</dt>\n"
                            "<dd class=\"govuk-summary-list__value\">%s</dd>\n",
                      no_actions, named ? named : "");
    if (rc == SH_OK && d->edit)
        rc = html_fmt(d->b, "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" "
                            "href=\"/cases/%lld/plan/setting\">Change<span "
                            "class=\"govuk-visually-hidden\"> the setting</span></a></dd>\n",
                      (long long)d->case_id);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "</div>\n<div class=\"govuk-summary-list__row%r\">\n"
                            "<dt class=\"govuk-summary-list__key\">Type</dt>\n"
                            "<dd class=\"govuk-summary-list__value\">%s</dd>\n",
                      no_actions, type);
    if (rc == SH_OK && d->edit)
        rc = html_fmt(d->b, "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\" "
                            "href=\"/cases/%lld/plan/setting\">Change<span "
                            "class=\"govuk-visually-hidden\"> the type of setting</span></a>"
                            "</dd>\n",
                      (long long)d->case_id);
    return rc ? rc : html_fmt(d->b, "</div>\n</dl>\n");
}

/* Is this advice already summarised in section K? */
static bool advice_in_k(const plan *p, const plan_advice *ad)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].section == PLAN_K && p->items[i].agency == ad->agency &&
            p->items[i].date == ad->date)
            return true;
    return false;
}

/* Editor only: advice received on the journey that section K does not hold. */
static int advice_to_add(doc *d)
{
    size_t waiting = 0;
    for (size_t i = 0; i < d->n_advice; i++)
        waiting += !advice_in_k(d->p, &d->advice[i]);
    if (waiting == 0)
        return SH_OK;
    int rc = html_fmt(d->b, "<h3 class=\"govuk-heading-s\">Advice received and not yet "
                            "summarised</h3>\n<ul class=\"govuk-list\">\n");
    for (size_t i = 0; rc == SH_OK && i < d->n_advice; i++) {
        const plan_advice *ad = &d->advice[i];
        if (advice_in_k(d->p, ad))
            continue;
        char iso[DATE_ISO_LEN + 1];
        date_format(ad->date, iso);
        rc = html_fmt(d->b, "<li>%s, received %D: ", event_agency_label(ad->agency), ad->date);
        if (rc == SH_OK && ad->request_id)
            rc = html_fmt(d->b, "<a class=\"govuk-link\" href=\"/advice/%lld\">Read the "
                                "advice<span class=\"govuk-visually-hidden\"> from %s received "
                                "%D</span></a> &middot; ",
                          (long long)ad->request_id, event_agency_label(ad->agency), ad->date);
        if (rc == SH_OK)
            rc = html_fmt(d->b, "<a class=\"govuk-link\" "
                                "href=\"/cases/%lld/plan/item?section=K&amp;agency=%s&amp;date=%s\">"
                                "Add a summary<span class=\"govuk-visually-hidden\"> of the "
                                "advice from %s received %D</span></a></li>\n",
                          (long long)d->case_id, event_agency_name(ad->agency), iso,
                          event_agency_label(ad->agency), ad->date);
    }
    return rc ? rc : html_fmt(d->b, "</ul>\n");
}

static int section_card(doc *d, plan_section s)
{
    const char *name = plan_section_name(s);
    int rc = html_fmt(d->b, "<section class=\"govuk-summary-card sendhub-plan-section\" "
                            "id=\"section-%s\" aria-labelledby=\"section-%s-title\">\n"
                            "<div class=\"govuk-summary-card__title-wrapper\">\n"
                            "<h2 class=\"govuk-summary-card__title\" id=\"section-%s-title\">"
                            "Section %s: %s</h2>\n",
                      name, name, name, name, plan_section_title(s));
    if (rc == SH_OK && d->edit && s != PLAN_I)
        rc = html_fmt(d->b, "<ul class=\"govuk-summary-card__actions\">"
                            "<li class=\"govuk-summary-card__action\"><a class=\"govuk-link\" "
                            "href=\"/cases/%lld/plan/item?section=%s\">Add %s<span "
                            "class=\"govuk-visually-hidden\"> to section %s</span></a></li></ul>\n",
                      (long long)d->case_id, name,
                      plan_section_kind(s) == PLAN_KIND_TEXT      ? "text"
                      : plan_section_kind(s) == PLAN_KIND_ADVICE  ? "a summary of advice"
                      : plan_section_kind(s) == PLAN_KIND_NEED    ? "a need"
                      : plan_section_kind(s) == PLAN_KIND_OUTCOME ? "an outcome"
                                                                  : "provision",
                      name);
    if (rc == SH_OK)
        rc = html_fmt(d->b, "</div>\n<div class=\"govuk-summary-card__content\">\n");
    if (rc == SH_OK && s == PLAN_I)
        rc = setting_rows(d);
    else if (rc == SH_OK && plan_section_count(d->p, s) == 0)
        rc = html_fmt(d->b, "<p class=\"govuk-body\">Nothing written in this section.</p>\n");
    else if (rc == SH_OK) {
        rc = html_fmt(d->b, "<dl class=\"govuk-summary-list\">\n");
        for (size_t i = 0; rc == SH_OK && i < d->p->n_items; i++)
            if (d->p->items[i].section == s)
                rc = item_row(d, &d->p->items[i]);
        if (rc == SH_OK)
            rc = html_fmt(d->b, "</dl>\n");
    }
    if (rc == SH_OK && s == PLAN_K && d->edit)
        rc = advice_to_add(d);
    return rc ? rc : html_fmt(d->b, "</div>\n</section>\n");
}

static int plan_sections(doc *d)
{
    int rc = SH_OK;
    for (int s = 0; rc == SH_OK && s < PLAN_SECTION_COUNT; s++)
        rc = section_card(d, (plan_section)s);
    return rc;
}

int pages_plan_sections(web_request *req, buf *b, int64_t case_id, const plan *p)
{
    doc d = {.req = req, .b = b, .case_id = case_id, .p = p};
    return plan_sections(&d);
}

/* ---- the editor -------------------------------------------------------------------- */

/* Warnings in a summary at the top, each linking to its item. */
static int warnings_summary(web_request *req, buf *b, const plan_issue *v, size_t n)
{
    size_t warns = plan_issue_count(v, n, PLAN_WARNING);
    if (warns == 0)
        return html_fmt(b, "<p class=\"govuk-body\"><strong class=\"govuk-tag govuk-tag--green\">"
                           "No warnings</strong> Every need has an outcome and provision, and "
                           "all provision is specific and quantified.</p>\n");
    int rc = html_fmt(b, "<div class=\"govuk-warning-text\">\n"
                         "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
                         "<strong class=\"govuk-warning-text__text\">"
                         "<span class=\"govuk-visually-hidden\">Warning</span>"
                         "This plan has %zu warning%s</strong>\n</div>\n"
                         "<ul class=\"govuk-list govuk-list--bullet\" id=\"plan-warnings\">\n",
                      warns, warns == 1 ? "" : "s");
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        if (v[i].severity != PLAN_WARNING)
            continue;
        const char *anchor = v[i].id ? label_of(req->a, v[i].section, v[i].id)
                                     : plan_section_name(v[i].section);
        rc = html_fmt(b, "<li><a class=\"govuk-link\" href=\"#item-%s\">%s</a></li>\n", anchor,
                      v[i].message);
    }
    return rc ? rc : html_fmt(b, "</ul>\n");
}

static const char *issue_heading(store_plan_kind k)
{
    switch (k) {
    case STORE_PLAN_FINAL: return "Issue the final plan";
    case STORE_PLAN_PROPOSED: return "Send the proposed amendments";
    case STORE_PLAN_AMENDED: return "Issue the amended plan";
    default: return "Issue the draft plan";
    }
}

static const char *issue_explain(store_plan_kind k)
{
    switch (k) {
    case STORE_PLAN_FINAL:
        return "The final plan is recorded on the journey and this version is kept and frozen. "
               "It must be issued within 20 weeks of the request (regulation 13(2)).";
    case STORE_PLAN_PROPOSED:
        return "The proposals are recorded on the journey and this version is kept. The family "
               "has at least 15 days to comment (regulation 22(2)(c)); the amended plan is due "
               "within 8 weeks (regulation 22(3)).";
    case STORE_PLAN_AMENDED:
        return "The amended plan is recorded on the journey and this version is kept and "
               "frozen.";
    default:
        return "The draft is recorded on the journey and this version is kept. The family then "
               "has at least 15 days to comment, ask for a meeting and say which school or "
               "college they want named in section I (regulation 13(1)).";
    }
}

/* The issue form without its CSRF field, which is the requester's own:
 * *csrf_at gets the offset in b where it goes (write_content). */
static int issue_form(buf *b, const plan_page *pp, const web_form *values,
                      const pages_errors *errs, size_t *csrf_at)
{
    if (pp->pv.next_event < 0)
        return html_fmt(b, "<h2 class=\"govuk-heading-m\">Issuing</h2>\n"
                           "<p class=\"govuk-body\">The plan cannot be issued at this stage "
                           "(%s). A plan is issued as a draft during the assessment, then as a "
                           "final plan; after a review that decides to amend it, as proposed "
                           "amendments and then an amended plan.</p>\n",
                        journey_stage_label(pp->v.timeline.stage));
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"issue\">%s</h2>\n"
                         "<p class=\"govuk-body\">%s</p>\n"
                         "<form method=\"post\" action=\"/cases/%lld/plan/issue\" novalidate>\n",
                      issue_heading(pp->pv.next_kind), issue_explain(pp->pv.next_kind),
                      (long long)pp->v.c.id);
    *csrf_at = b->len;
    if (rc == SH_OK)
        rc = pages_date_input(b, "issued", "Date issued", "For example, 27 3 2026", values,
                              errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">%s</button>\n</form>\n",
                         issue_heading(pp->pv.next_kind));
}

static int done_banner(web_request *req, buf *b)
{
    const char *saved = web_query(req, "saved");
    const char *removed = web_query(req, "removed");
    plan_ref r;
    const char *what = saved ? saved : removed;
    if (!what || (strcmp(what, "I") != 0 && plan_ref_parse(what, strlen(what), &r) != SH_OK))
        return SH_OK;
    return pages_success_banner(b, arena_printf(req->a, "%s %s",
                                                strcmp(what, "I") == 0 ? "Section I" : what,
                                                saved ? "saved" : "removed"));
}

static int plan_links(buf *b, const plan_page *pp)
{
    return html_fmt(b, "<ul class=\"govuk-list\">\n"
                       "<li><a class=\"govuk-link\" href=\"/cases/%lld/plan/print\">Printable "
                       "view of the working draft</a></li>\n"
                       "<li><a class=\"govuk-link\" href=\"/cases/%lld/plan/pdf\">Download the "
                       "working draft as a PDF</a></li>\n"
                       "<li><a class=\"govuk-link\" href=\"/cases/%lld/plan/versions\">Issued "
                       "versions (%zu) and comparisons</a></li>\n</ul>\n",
                    (long long)pp->v.c.id, (long long)pp->v.c.id, (long long)pp->v.c.id,
                    pp->pv.n_versions);
}

/* The warnings and sections of the editor are most of the work of its
 * content and depend only on the stored document, the advice received, the
 * setting's name, the case and whether the person may edit: each worker
 * thread keeps the last one it rendered, keyed on exactly those (bytes
 * compared), and content rendered again for an unchanged plan copies it.
 * This is not the fragment cache's job done twice: a fragment lives only
 * until the next commit anywhere (in a busy service, the audit writer's
 * next batch: every 200 ms), so most views by people at work miss it, and
 * on such a miss this copy, which no unrelated commit spoils, saves about a
 * third of the page's CPU (bench/RESULTS.md, section 6). */
typedef struct {
    int64_t case_id;
    bool edit;
    char *doc;
    plan_advice *advice;
    size_t n_advice;
    char *setting;
    buf html;
} rendered;

#define RENDERED_MAX (2u << 20)

static pthread_key_t rendered_key;
static pthread_once_t rendered_once = PTHREAD_ONCE_INIT;

static void rendered_clear(rendered *r)
{
    free(r->doc);
    free(r->advice);
    free(r->setting);
    buf_free(&r->html);
    r->doc = r->setting = NULL;
    r->advice = NULL;
}

static void rendered_free(void *v)
{
    rendered_clear(v);
    free(v);
}

static void rendered_init(void) { pthread_key_create(&rendered_key, rendered_free); }

static bool rendered_matches(const rendered *r, const plan_page *pp, bool edit,
                             const char *setting)
{
    return r && r->doc && r->case_id == pp->v.c.id && r->edit == edit &&
           strcmp(r->doc, pp->pv.document) == 0 && strcmp(r->setting, setting) == 0 &&
           r->n_advice == pp->pv.n_advice &&
           (r->n_advice == 0 ||
            memcmp(r->advice, pp->pv.advice, r->n_advice * sizeof *r->advice) == 0);
}

/* Keeps html[0..len) for this key (best effort: nothing kept without memory). */
static void rendered_keep(const plan_page *pp, bool edit, const char *setting, const char *html,
                          size_t len)
{
    rendered *r = pthread_getspecific(rendered_key);
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r || pthread_setspecific(rendered_key, r) != 0) {
            free(r);
            return;
        }
    }
    rendered_clear(r);
    buf_init(&r->html, RENDERED_MAX);
    r->case_id = pp->v.c.id;
    r->edit = edit;
    r->n_advice = pp->pv.n_advice;
    r->doc = strdup(pp->pv.document);
    r->setting = strdup(setting);
    r->advice = malloc((pp->pv.n_advice ? pp->pv.n_advice : 1) * sizeof *r->advice);
    if (!r->doc || !r->setting || !r->advice || buf_append(&r->html, html, len) != SH_OK) {
        rendered_clear(r);
        return;
    }
    if (pp->pv.n_advice)
        memcpy(r->advice, pp->pv.advice, pp->pv.n_advice * sizeof *r->advice);
}

/* The warnings summary and the sections A to K. */
static int plan_body(web_request *req, buf *b, const plan_page *pp, bool edit)
{
    const char *setting = "";
    const plan *p = &pp->pv.draft;
    if (p->setting_urn[0] && store_setting_name(req->db, p->setting_urn, req->a, &setting))
        setting = "";
    pthread_once(&rendered_once, rendered_init);
    const rendered *r = pp->pv.document ? pthread_getspecific(rendered_key) : NULL;
    if (rendered_matches(r, pp, edit, setting))
        return buf_append(b, r->html.data, r->html.len);
    plan_issue *issues;
    size_t n;
    int rc = plan_check(p, req->a, &issues, &n);
    size_t start = b->len;
    if (rc == SH_OK)
        rc = warnings_summary(req, b, issues, n);
    doc d = {.req = req, .b = b, .case_id = pp->v.c.id, .p = p, .issues = issues,
             .n_issues = n, .edit = edit, .advice = pp->pv.advice,
             .n_advice = pp->pv.n_advice, .setting_name = setting[0] ? setting : NULL};
    if (rc == SH_OK)
        rc = plan_sections(&d);
    if (rc == SH_OK && pp->pv.document)
        rendered_keep(pp, edit, setting, b->data + start, b->len - start);
    return rc;
}

#define NO_FORM SIZE_MAX /* content without the issue form: no CSRF field to write */

/* The editor's content below the banner and the error summary: the child's
 * name, where the draft stands, the links, the warnings, sections A to K
 * and, for people who may edit, the issue form. It comes from the database,
 * the case, the area (every read is the area's), whether the person may
 * edit and "today" (the stage that decides the form, the date it
 * suggests), and from nothing of the person's session: the form's CSRF
 * field is left out and its place put in *csrf_at (NO_FORM: no form). So
 * people who see their whole area share it through the fragment cache
 * (content_key). Reads the database (the setting's name), so it runs
 * before the read is audited, inside the request's read transaction. */
static int plan_content(web_request *req, buf *b, const plan_page *pp, bool edit,
                        const web_form *values, const pages_errors *errs, size_t *csrf_at)
{
    *csrf_at = NO_FORM;
    const store_plan_version *last =
        pp->pv.n_versions ? &pp->pv.versions[pp->pv.n_versions - 1] : NULL;
    int rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">EHC plan</h1>\n"
                         "<p class=\"govuk-body\">%s %s</p>\n",
                      pp->name, pp->pv.draft_stored ? "Working draft." : "No draft saved yet.",
                      last ? arena_printf(req->a, "Last issued: version %d, %s, on %s.",
                                          last->version, pages_plan_kind_label(last->kind),
                                          pages_date_short(req->a, last->issued_on))
                           : "Not issued yet.");
    if (rc == SH_OK)
        rc = plan_links(b, pp);
    if (rc == SH_OK)
        rc = plan_body(req, b, pp, edit);
    if (rc == SH_OK && edit)
        rc = issue_form(b, pp, values, errs, csrf_at);
    return rc;
}

/* Content [p, p + len) with the requester's CSRF field at csrf_at. */
static int write_content(web_request *req, buf *b, const char *p, size_t len, size_t csrf_at)
{
    if (csrf_at == NO_FORM)
        return buf_append(b, p, len);
    int rc = buf_append(b, p, csrf_at);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    return rc ? rc : buf_append(b, p + csrf_at, len - csrf_at);
}

/* The page: audits the read (every view, its content kept or not), then
 * the frame, the banner and the error summary around the content. */
static int plan_page_out(web_request *req, web_response *res, int64_t case_id,
                         int64_t child_id, int status, const pages_errors *errs,
                         const buf *content, size_t csrf_at)
{
    int rc = pages_audit(req, "read", "plan", case_id, child_id, "");
    if (rc)
        return pages_fail(req, res, rc);
    const char *back = arena_printf(req->a, "/cases/%lld", (long long)case_id);
    html_page p = {.title = "EHC plan", .nav = "caseload", .back_href = back,
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && errs->n == 0)
        rc = done_banner(req, b);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = write_content(req, b, content->data ? content->data : "", content->len, csrf_at);
    return pages_end(req, res, rc);
}

/* The key of the editor's content in the fragment cache: everything it
 * depends on besides the database (plan_content). Only for people who see
 * every case of their area, inside the request's read transaction (the
 * data version must be read in the snapshot the content is rendered
 * from): for them access_case_visible depends on nothing but the case's
 * area, which the key holds, and an entry is made only after the case was
 * loaded and found visible at this very data version; they all see the
 * same advice; whether they may edit is in the key. NULL: no cache. */
static const char *content_key(web_request *req)
{
    if (!req->snapshot || !access_sees_whole_area(&req->who))
        return NULL;
    return arena_printf(req->a, "plan|%s|%lld|%d|%d", req->who.la_code,
                        (long long)req->params[0], (int)access_can(&req->who, CAN_WRITE_CASES),
                        (int)req->today);
}

/* Renders the content of the loaded plan, keeps it under key (when not
 * NULL) and answers the page. */
static int render_plan(web_request *req, web_response *res, plan_page *pp, int status,
                       const web_form *values, const pages_errors *errs, const char *key,
                       const int64_t version[STORE_VERSION_LEN])
{
    buf content;
    buf_init(&content, WEB_MAX_RESPONSE);
    size_t csrf_at;
    int rc = plan_content(req, &content, pp, access_can(&req->who, CAN_WRITE_CASES), values,
                          errs, &csrf_at);
    if (rc == SH_OK && key)
        fragment_cache_put(key, version, content.data, content.len,
                           (size_t[FRAGMENT_CACHE_EXTRA]){(size_t)pp->v.c.child_id, csrf_at});
    if (rc == SH_OK)
        rc = plan_page_out(req, res, pp->v.c.id, pp->v.c.child_id, status, errs, &content,
                           csrf_at);
    else
        rc = pages_fail(req, res, rc);
    buf_free(&content);
    return rc;
}

int page_plan(web_request *req, web_response *res)
{
    int64_t version[STORE_VERSION_LEN];
    const char *key = content_key(req);
    if (key && store_data_version(req->db, version) != SH_OK)
        key = NULL; /* nothing to compare with: no reuse, no keeping */
    pages_errors errs = {0};
    buf kept;
    buf_init(&kept, WEB_MAX_RESPONSE);
    size_t extra[FRAGMENT_CACHE_EXTRA]; /* the child's id, the CSRF field's place */
    if (key && fragment_cache_get(key, version, &kept, extra)) {
        int rc = plan_page_out(req, res, req->params[0], (int64_t)extra[0], 200, &errs, &kept,
                               extra[1]);
        buf_free(&kept);
        return rc;
    }
    plan_page pp;
    int rc = load(req, res, false, &pp);
    if (rc)
        return rc;
    web_form values = {0};
    pages_date_set(&values, req->a, "issued", req->today);
    return render_plan(req, res, &pp, 200, &values, &errs, key, version);
}

int page_plan_issue(web_request *req, web_response *res)
{
    plan_page pp;
    web_form f;
    int rc = load_form(req, res, &pp, &f);
    if (rc)
        return rc;
    pages_errors errs = {0};
    date_t issued;
    rc = pages_date_read(&f, "issued", "the date issued", true, req->a, &issued, &errs);
    if (rc == SH_OK && issued > req->today) {
        pages_errors_add(&errs, "issued-day", "The date issued must be today or in the past");
        rc = SH_EINVAL;
    }
    store_plan_version out;
    app_error err = {0};
    if (rc == SH_OK)
        rc = app_plan_issue(req->db, &req->who, &pp.v, issued, req->today, req->a, &out, &err);
    if (rc == SH_OK)
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld/plan/versions?issued=%d",
                                                (long long)pp.v.c.id, out.version));
    if (rc != SH_EINVAL)
        return pages_fail(req, res, rc);
    if (errs.n == 0)
        pages_errors_add(&errs, "issued-day", arena_strdup(req->a, err.message));
    return render_plan(req, res, &pp, 422, &f, &errs, NULL, NULL);
}

/* ---- one item ----------------------------------------------------------------------- */

static int needs_checkboxes(web_request *req, buf *b, const plan *p, plan_section s,
                            const web_form *values, const pages_errors *errs)
{
    const char *error = pages_errors_for(errs, "needs");
    size_t k = 0;
    for (size_t i = 0; i < p->n_items; i++)
        k += plan_link_allowed(s, p->items[i].section);
    if (k == 0)
        return html_fmt(b, "<p class=\"govuk-body\" id=\"needs\">There are no needs this can be "
                           "linked to yet. Add the needs in sections B, C and D first, then link "
                           "them here.</p>\n");
    int rc = html_fmt(b, "<div class=\"govuk-form-group%r\">\n"
                         "<fieldset class=\"govuk-fieldset\" aria-describedby=\"needs-hint%r\">\n"
                         "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">"
                         "Which needs is this for?</legend>\n"
                         "<div id=\"needs-hint\" class=\"govuk-hint\">Select all that apply. %s"
                         "</div>\n",
                      error ? " govuk-form-group--error" : "", error ? " needs-error" : "",
                      plan_section_kind(s) == PLAN_KIND_OUTCOME
                          ? "Every outcome should meet at least one need."
                          : "Every need should have provision that meets it.");
    if (rc == SH_OK && error)
        rc = html_fmt(b, "<p id=\"needs-error\" class=\"govuk-error-message\">"
                         "<span class=\"govuk-visually-hidden\">Error:</span> %s</p>\n",
                      error);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-checkboxes govuk-checkboxes--small\" "
                         "data-module=\"govuk-checkboxes\">\n");
    size_t n = 0;
    for (size_t i = 0; rc == SH_OK && i < p->n_items; i++) {
        const plan_item *need = &p->items[i];
        if (!plan_link_allowed(s, need->section))
            continue;
        const char *label = label_of(req->a, need->section, need->id);
        bool checked = false;
        for (size_t j = 0; j < values->n; j++)
            checked |= strcmp(values->name[j], "needs") == 0 && strcmp(values->value[j], label) == 0;
        const char *id = n++ == 0 ? "needs" : arena_printf(req->a, "needs-%zu", n);
        rc = html_fmt(b, "<div class=\"govuk-checkboxes__item\">\n"
                         "<input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"needs\" "
                         "type=\"checkbox\" value=\"%s\"%r>\n"
                         "<label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">"
                         "<strong>%s</strong> %s</label>\n</div>\n",
                      id, label, checked ? " checked" : "", id, label,
                      short_text(req->a, need->text, SHORT_TEXT));
    }
    return rc ? rc : html_fmt(b, "</div>\n</fieldset>\n</div>\n");
}

static const pages_option period_opts[] = {
    {"", "Choose a period", NULL}, {"day", "a day", NULL},   {"week", "a week", NULL},
    {"month", "a month", NULL},    {"term", "a term", NULL}, {"year", "a year", NULL},
};

static int provision_fields(web_request *req, buf *b, const plan *p, plan_section s,
                            const web_form *v, const pages_errors *errs)
{
    int rc = pages_textarea(b, "text", "What the provision is",
                            "Be specific: the support, the approach or programme, the group size.",
                            form_get(v, "text"), 4, errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "who", .label = "Who delivers it",
                                                .hint = "For example, a specialist teacher of "
                                                        "the deaf, or a teaching assistant "
                                                        "trained in Makaton",
                                                .value = form_get(v, "who")},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"sendhub-filters__row\">\n");
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "times", .label = "How many times",
                                                .value = form_get(v, "times"),
                                                .classes = "govuk-input--width-3",
                                                .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_select(b, "per", "Per", NULL, period_opts,
                          sizeof period_opts / sizeof period_opts[0], form_get(v, "per"), errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "minutes",
                                                .label = "Minutes each time",
                                                .value = form_get(v, "minutes"),
                                                .classes = "govuk-input--width-4",
                                                .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n");
    static const pages_option duration[] = {{"weeks", "For a number of weeks", NULL},
                                            {"review", "Until the plan is reviewed", NULL}};
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "duration",
                                                  .legend = "For how long",
                                                  .opts = duration, .n = 2, .small = true,
                                                  .checked = form_get(v, "duration")},
                          errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "weeks",
                                                .label = "Number of weeks",
                                                .hint = "If it runs for a number of weeks",
                                                .value = form_get(v, "weeks"),
                                                .classes = "govuk-input--width-3",
                                                .inputmode = "numeric"},
                         errs);
    return rc ? rc : needs_checkboxes(req, b, p, s, v, errs);
}

static int advice_fields(buf *b, const web_form *v, const pages_errors *errs)
{
    pages_option opts[AGENCY_COUNT + 1] = {{"", "Choose the agency", NULL}};
    for (int i = 0; i < AGENCY_COUNT; i++)
        opts[i + 1] = (pages_option){event_agency_name((event_agency)i),
                                     event_agency_label((event_agency)i), NULL};
    int rc = pages_select(b, "agency", "Who gave the advice", NULL, opts, AGENCY_COUNT + 1,
                          form_get(v, "agency"), errs);
    if (rc == SH_OK)
        rc = pages_date_input(b, "date", "Date received", "For example, 27 3 2026", v, errs);
    return rc ? rc
              : pages_textarea(b, "text", "Summary of the advice",
                               "What the advice says about the child's needs, outcomes and "
                               "provision. The full advice is appended to the plan.",
                               form_get(v, "text"), 6, errs);
}

static const char *text_label(plan_section s)
{
    switch (s) {
    case PLAN_A: return "The views, interests and aspirations of the child and their parents, or "
                        "of the young person";
    case PLAN_J: return "The special educational needs and outcomes met by a direct payment";
    case PLAN_E: return "The outcome sought";
    default: return "Describe the need";
    }
}

static int item_form_page(web_request *req, web_response *res, plan_page *pp, plan_section s,
                          int id, int status, const web_form *values, const pages_errors *errs)
{
    const char *label = id ? label_of(req->a, s, id) : NULL;
    const char *title = id ? arena_printf(req->a, "Change %s %s", kind_word(s), label)
                           : arena_printf(req->a, "Add %s to section %s", kind_word(s),
                                          plan_section_name(s));
    const char *back = arena_printf(req->a, "/cases/%lld/plan#section-%s", (long long)pp->v.c.id,
                                    plan_section_name(s));
    html_page p = {.title = title ? title : "Plan", .nav = "caseload", .back_href = back,
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s: section %s, %s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<form method=\"post\" action=\"/cases/%lld/plan/item\" novalidate>\n"
                         "<input type=\"hidden\" name=\"section\" value=\"%s\">\n"
                         "<input type=\"hidden\" name=\"item\" value=\"%d\">\n",
                      pp->name, plan_section_name(s), plan_section_title(s), p.title,
                      (long long)pp->v.c.id, plan_section_name(s), id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    plan_kind kind = plan_section_kind(s);
    if (rc == SH_OK && kind == PLAN_KIND_PROVISION)
        rc = provision_fields(req, b, &pp->pv.draft, s, values, errs);
    else if (rc == SH_OK && kind == PLAN_KIND_ADVICE)
        rc = advice_fields(b, values, errs);
    else if (rc == SH_OK)
        rc = pages_textarea(b, "text", text_label(s), NULL, form_get(values, "text"), 5, errs);
    if (rc == SH_OK && kind == PLAN_KIND_OUTCOME)
        rc = needs_checkboxes(req, b, &pp->pv.draft, s, values, errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Save</button>\n"
                         "<a class=\"govuk-link\" href=\"%s\">Cancel</a>\n</div>\n</form>\n",
                      back);
    if (rc == SH_OK && id)
        rc = html_fmt(b, "<form method=\"post\" action=\"/cases/%lld/plan/item/remove\" "
                         "novalidate>\n<input type=\"hidden\" name=\"section\" value=\"%s\">\n"
                         "<input type=\"hidden\" name=\"item\" value=\"%d\">\n",
                      (long long)pp->v.c.id, plan_section_name(s), id);
    if (rc == SH_OK && id)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK && id)
        rc = html_fmt(b, "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" "
                         "data-module=\"govuk-button\">Remove %s %s</button>\n</form>\n",
                      kind_word(s), label);
    return pages_end(req, res, rc);
}

/* The section and item named by a query or form ("section", "item"): the
 * item must exist when given. SH_EINVAL (400) or SH_ENOTFOUND (404). */
static int which_item(const plan_page *pp, const char *section, const char *item,
                      plan_section *s, int *id)
{
    int sec = section ? plan_section_parse(section, strlen(section)) : -1;
    if (sec < 0 || sec == PLAN_I)
        return SH_EINVAL;
    *s = (plan_section)sec;
    *id = 0;
    if (!item || !item[0] || strcmp(item, "0") == 0)
        return SH_OK;
    char *end;
    long v = strtol(item, &end, 10);
    if (*end || v < 1 || v > PLAN_ID_MAX)
        return SH_EINVAL;
    *id = (int)v;
    return plan_find(&pp->pv.draft, *s, *id) ? SH_OK : SH_ENOTFOUND;
}

/* Form values showing an existing item. */
static void item_values(web_request *req, const plan_item *it, web_form *f)
{
    pages_form_set(f, "text", it->text);
    pages_form_set(f, "who", it->who);
    if (it->times > 0)
        pages_form_set(f, "times", arena_printf(req->a, "%d", it->times));
    pages_form_set(f, "per", plan_period_name(it->per));
    if (it->minutes > 0)
        pages_form_set(f, "minutes", arena_printf(req->a, "%d", it->minutes));
    if (it->weeks > 0) {
        pages_form_set(f, "weeks", arena_printf(req->a, "%d", it->weeks));
        pages_form_set(f, "duration", "weeks");
    } else if (it->until_review) {
        pages_form_set(f, "duration", "review");
    }
    for (size_t i = 0; i < it->n_links; i++)
        pages_form_set(f, "needs", label_of(req->a, it->links[i].section, it->links[i].id));
    if (it->agency != AGENCY_NONE)
        pages_form_set(f, "agency", event_agency_name(it->agency));
    if (it->date != DATE_NONE)
        pages_date_set(f, req->a, "date", it->date);
}

int page_plan_item_form(web_request *req, web_response *res)
{
    plan_page pp;
    int rc = load(req, res, true, &pp);
    if (rc)
        return rc;
    plan_section s;
    int id;
    if ((rc = which_item(&pp, web_query(req, "section"), web_query(req, "item"), &s, &id)))
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "plan", pp.v.c.id, pp.v.c.child_id, "item form")))
        return pages_fail(req, res, rc);
    web_form values = {0};
    if (id) {
        item_values(req, plan_find(&pp.pv.draft, s, id), &values);
    } else if (s == PLAN_K) {
        /* "Add a summary" of one advice received: agency and date carried over */
        const char *agency = web_query(req, "agency");
        date_t d = DATE_NONE;
        const char *iso = web_query(req, "date");
        if (agency && event_agency_parse(agency, strlen(agency)) != AGENCY_NONE)
            pages_form_set(&values, "agency", agency);
        if (iso && date_parse(iso, strlen(iso), &d) == SH_OK)
            pages_date_set(&values, req->a, "date", d);
    }
    pages_errors errs = {0};
    return item_form_page(req, res, &pp, s, id, 200, &values, &errs);
}

/* A whole number typed into a box: "" is 0 (not given). */
static int read_count(const web_form *f, const char *name, const char *what, int max,
                      int *out, pages_errors *errs)
{
    const char *s = form_get(f, name);
    *out = 0;
    if (!s || !s[0])
        return SH_OK;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < 1 || v > max) {
        pages_errors_add(errs, name, what);
        return SH_EINVAL;
    }
    *out = (int)v;
    return SH_OK;
}

static int read_provision(web_request *req, const web_form *f, plan_item *it,
                          pages_errors *errs)
{
    int rc = SH_OK;
    it->who = pages_trim(req->a, form_get(f, "who"));
    rc |= read_count(f, "times", "Enter how many times as a number from 1 to 100", PLAN_TIMES_MAX,
                     &it->times, errs);
    const char *per = form_get(f, "per");
    it->per = per && per[0] ? plan_period_parse(per, strlen(per)) : PLAN_PER_NONE;
    rc |= read_count(f, "minutes", "Enter the minutes each time as a number from 1 to 600",
                     PLAN_MINUTES_MAX, &it->minutes, errs);
    const char *duration = form_get(f, "duration");
    it->until_review = duration && strcmp(duration, "review") == 0;
    if (!it->until_review)
        rc |= read_count(f, "weeks", "Enter the number of weeks as a number from 1 to 104",
                         PLAN_WEEKS_MAX, &it->weeks, errs);
    if (duration && strcmp(duration, "weeks") == 0 && it->weeks == 0 && rc == SH_OK) {
        pages_errors_add(errs, "weeks", "Enter the number of weeks");
        rc = SH_EINVAL;
    }
    return rc ? SH_EINVAL : SH_OK;
}

/* Reads the posted fields of an item of section it->section. */
static int read_item(web_request *req, const web_form *f, plan_item *it, pages_errors *errs)
{
    int rc = SH_OK;
    it->text = pages_trim(req->a, form_get(f, "text"));
    plan_kind kind = plan_section_kind(it->section);
    if (kind == PLAN_KIND_PROVISION)
        rc = read_provision(req, f, it, errs);
    if (kind == PLAN_KIND_ADVICE) {
        const char *agency = form_get(f, "agency");
        it->agency = agency ? event_agency_parse(agency, strlen(agency)) : AGENCY_NONE;
        if (it->agency == AGENCY_NONE) {
            pages_errors_add(errs, "agency", "Select who gave the advice");
            rc = SH_EINVAL;
        }
        if (pages_date_read(f, "date", "the date received", true, req->a, &it->date, errs))
            rc = SH_EINVAL;
    }
    for (size_t i = 0; i < f->n && (kind == PLAN_KIND_OUTCOME || kind == PLAN_KIND_PROVISION);
         i++) {
        if (strcmp(f->name[i], "needs") != 0)
            continue;
        if (it->n_links == PLAN_LINKS_MAX) {
            pages_errors_add(errs, "needs", "Select at most 12 needs");
            return SH_EINVAL;
        }
        if (plan_ref_parse(f->value[i], strlen(f->value[i]), &it->links[it->n_links]) ==
            SH_OK)
            it->n_links++;
    }
    if (!it->text[0]) {
        pages_errors_add(errs, "text",
                         kind == PLAN_KIND_PROVISION ? "Enter what the provision is"
                         : kind == PLAN_KIND_ADVICE  ? "Enter a summary of the advice"
                                                     : "Enter the text");
        rc = SH_EINVAL;
    }
    return rc;
}

/* The form field a finding is about. */
static const char *field_id(const char *field)
{
    if (!field || strcmp(field, "links") == 0)
        return field ? "needs" : "text";
    if (strcmp(field, "date") == 0)
        return "date-day";
    return field;
}

/* Saves the draft with `p` and redirects to the plan, or fills errs from
 * the findings about `s`/`id` (SH_EINVAL) for the form to show. */
static int save_plan(web_request *req, web_response *res, plan_page *pp, const plan *p,
                     plan_section s, int id, const char *done, pages_errors *errs)
{
    plan_issue *issues;
    size_t n;
    int rc = plan_check(p, req->a, &issues, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (issues[i].severity == PLAN_ERROR && issues[i].section == s &&
            (s == PLAN_I || issues[i].id == id))
            pages_errors_add(errs, field_id(issues[i].field), issues[i].message);
    if (errs->n)
        return SH_EINVAL;
    app_error err = {0};
    rc = app_plan_save(req->db, &req->who, &pp->v, p, req->recorded_at, req->a, &err);
    if (rc == SH_EINVAL) {
        pages_errors_add(errs, field_id(err.field), arena_strdup(req->a, err.message));
        return rc;
    }
    if (rc)
        return rc;
    return pages_redirect(res, arena_printf(req->a, "/cases/%lld/plan?%s#item-%s",
                                            (long long)pp->v.c.id, done,
                                            strchr(done, '=') + 1));
}

int page_plan_item_save(web_request *req, web_response *res)
{
    plan_page pp;
    web_form f;
    int rc = load_form(req, res, &pp, &f);
    if (rc)
        return rc;
    plan_section s;
    int id;
    if ((rc = which_item(&pp, form_get(&f, "section"), form_get(&f, "item"), &s, &id)))
        return pages_fail(req, res, rc);
    plan_item it;
    plan_item_init(&it, s);
    it.id = id;
    pages_errors errs = {0};
    rc = read_item(req, &f, &it, &errs);
    plan p = pp.pv.draft;
    if (rc == SH_OK) {
        rc = plan_put(&p, req->a, &it, &id);
        if (rc == SH_ELIMIT) {
            pages_errors_add(&errs, "text",
                             arena_printf(req->a, "Section %s already holds %d items, the most "
                                                  "a section can hold",
                                          plan_section_name(s), PLAN_SECTION_ITEMS_MAX));
            rc = SH_EINVAL;
        }
    }
    if (rc == SH_OK)
        rc = save_plan(req, res, &pp, &p, s, id,
                       arena_printf(req->a, "saved=%s", label_of(req->a, s, id)), &errs);
    if (rc != SH_EINVAL)
        return rc ? pages_fail(req, res, rc) : SH_OK;
    return item_form_page(req, res, &pp, s, it.id, 422, &f, &errs);
}

int page_plan_item_remove(web_request *req, web_response *res)
{
    plan_page pp;
    web_form f;
    int rc = load_form(req, res, &pp, &f);
    if (rc)
        return rc;
    plan_section s;
    int id;
    rc = which_item(&pp, form_get(&f, "section"), form_get(&f, "item"), &s, &id);
    if (rc == SH_ENOTFOUND) /* removed already (the button pressed twice) */
        return pages_redirect(res, arena_printf(req->a, "/cases/%lld/plan#section-%s",
                                                (long long)pp.v.c.id, plan_section_name(s)));
    if (rc || id == 0)
        return pages_fail(req, res, rc ? rc : SH_EINVAL);
    plan p = pp.pv.draft;
    if ((rc = plan_remove(&p, req->a, s, id)))
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    rc = save_plan(req, res, &pp, &p, s, 0,
                   arena_printf(req->a, "removed=%s", label_of(req->a, s, id)), &errs);
    return rc ? pages_fail(req, res, rc == SH_EINVAL ? SH_ECONFLICT : rc) : SH_OK;
}

/* ---- section I ------------------------------------------------------------------------ */

static int setting_form_page(web_request *req, web_response *res, plan_page *pp, int status,
                             const web_form *values, const pages_errors *errs)
{
    const char *back = arena_printf(req->a, "/cases/%lld/plan#section-I", (long long)pp->v.c.id);
    html_page p = {.title = "Section I: the school or other institution", .nav = "caseload",
                   .back_href = back, .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<form method=\"post\" action=\"/cases/%lld/plan/setting\" novalidate>\n",
                      pp->name, p.title, (long long)pp->v.c.id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "urn",
                                                .label = "URN of the school, college or setting",
                                                .hint = "The 6 or 7 digit unique reference "
                                                        "number from Get Information about "
                                                        "Schools. Leave it empty to name only "
                                                        "the type.",
                                                .value = form_get(values, "urn"),
                                                .classes = "govuk-input--width-10",
                                                .inputmode = "numeric",
                                                .spellcheck_off = true},
                         errs);
    pages_option opts[PLAN_SETTING_COUNT + 1];
    for (int i = 0; i < PLAN_SETTING_COUNT; i++)
        opts[i] = (pages_option){plan_setting_type_name((plan_setting_type)i),
                                 plan_setting_type_label((plan_setting_type)i), NULL};
    opts[PLAN_SETTING_COUNT] = (pages_option){"none", "Not decided yet", NULL};
    if (rc == SH_OK)
        rc = pages_radios(b, &(pages_radios_spec){.name = "type", .legend = "Type of setting",
                                                  .opts = opts, .n = PLAN_SETTING_COUNT + 1,
                                                  .divider_before = PLAN_SETTING_COUNT,
                                                  .checked = form_get(values, "type")},
                          errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n<button type=\"submit\" "
                         "class=\"govuk-button\" data-module=\"govuk-button\">Save</button>\n"
                         "<a class=\"govuk-link\" href=\"%s\">Cancel</a>\n</div>\n</form>\n",
                      back);
    return pages_end(req, res, rc);
}

int page_plan_setting_form(web_request *req, web_response *res)
{
    plan_page pp;
    int rc = load(req, res, true, &pp);
    if (rc)
        return rc;
    if ((rc = pages_audit(req, "read", "plan", pp.v.c.id, pp.v.c.child_id, "setting form")))
        return pages_fail(req, res, rc);
    web_form values = {0};
    pages_form_set(&values, "urn", pp.pv.draft.setting_urn);
    pages_form_set(&values, "type", pp.pv.draft.setting_type == PLAN_SETTING_NONE
                                        ? "none"
                                        : plan_setting_type_name(pp.pv.draft.setting_type));
    pages_errors errs = {0};
    return setting_form_page(req, res, &pp, 200, &values, &errs);
}

int page_plan_setting_save(web_request *req, web_response *res)
{
    plan_page pp;
    web_form f;
    int rc = load_form(req, res, &pp, &f);
    if (rc)
        return rc;
    pages_errors errs = {0};
    plan p = pp.pv.draft;
    const char *urn = pages_trim(req->a, form_get(&f, "urn"));
    const char *type = form_get(&f, "type");
    if (strlen(urn) > IDENT_URN_MAX) {
        pages_errors_add(&errs, "urn", "The URN must be 6 or 7 digits");
        rc = SH_EINVAL;
    } else {
        memcpy(p.setting_urn, urn, strlen(urn) + 1);
    }
    p.setting_type = type ? plan_setting_type_parse(type, strlen(type)) : PLAN_SETTING_NONE;
    if (rc == SH_OK)
        rc = save_plan(req, res, &pp, &p, PLAN_I, 0, "saved=I", &errs);
    if (rc != SH_EINVAL)
        return rc ? pages_fail(req, res, rc) : SH_OK;
    return setting_form_page(req, res, &pp, 422, &f, &errs);
}

/* ---- versions and comparison --------------------------------------------------------- */

static int version_select(buf *b, const char *name, const char *label, const plan_page *pp,
                          const char *selected, arena *a)
{
    pages_option *opts = arena_calloc(a, pp->pv.n_versions + 1, sizeof *opts);
    if (!opts)
        return SH_ENOMEM;
    for (size_t i = 0; i < pp->pv.n_versions; i++) {
        const store_plan_version *v = &pp->pv.versions[i];
        opts[i] = (pages_option){arena_printf(a, "%d", v->version),
                                 arena_printf(a, "Version %d: %s, %s", v->version,
                                              pages_plan_kind_label(v->kind),
                                              pages_date_short(a, v->issued_on)),
                                 NULL};
    }
    opts[pp->pv.n_versions] = (pages_option){"draft", "The working draft", NULL};
    return pages_select(b, name, label, NULL, opts, pp->pv.n_versions + 1, selected, NULL);
}

int page_plan_versions(web_request *req, web_response *res)
{
    plan_page pp;
    int rc = load(req, res, false, &pp);
    if (rc)
        return rc;
    if ((rc = pages_audit(req, "read", "plan", pp.v.c.id, pp.v.c.child_id, "versions")))
        return pages_fail(req, res, rc);
    const char *back = arena_printf(req->a, "/cases/%lld/plan", (long long)pp.v.c.id);
    html_page p = {.title = "Issued versions of the plan", .nav = "caseload", .back_href = back,
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    const char *issued = web_query(req, "issued");
    if (rc == SH_OK && issued && strlen(issued) < 6)
        rc = pages_success_banner(b, arena_printf(req->a, "Version %s issued and recorded on "
                                                          "the journey",
                                                  issued));
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n",
                      pp.name, p.title);
    if (rc == SH_OK && pp.pv.n_versions == 0)
        rc = html_fmt(b, "<p class=\"govuk-body\">No version has been issued yet.</p>\n");
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Issued "
                         "versions\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Version</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">What</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Issued</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">By</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">"
                         "<span class=\"govuk-visually-hidden\">Links</span></th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
    for (size_t i = 0; rc == SH_OK && i < pp.pv.n_versions; i++) {
        const store_plan_version *v = &pp.pv.versions[i];
        rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<td class=\"govuk-table__cell\">%d</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell sendhub-nowrap\">%D</td>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                         "href=\"/cases/%lld/plan/versions/%d\">View<span "
                         "class=\"govuk-visually-hidden\"> version %d</span></a> "
                         "<a class=\"govuk-link\" href=\"/cases/%lld/plan/versions/%d/pdf\">PDF"
                         "<span class=\"govuk-visually-hidden\"> of version %d</span></a></td>\n"
                         "</tr>\n",
                      v->version, pages_plan_kind_label(v->kind), v->issued_on, v->issued_by,
                      (long long)pp.v.c.id, v->version, v->version, (long long)pp.v.c.id,
                      v->version, v->version);
    }
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = html_fmt(b, "</tbody>\n</table>\n</div>\n");
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = html_fmt(b, "<h2 class=\"govuk-heading-m\">Compare two versions</h2>\n"
                         "<form method=\"get\" action=\"/cases/%lld/plan/compare\" novalidate>\n"
                         "<div class=\"sendhub-filters__row\">\n",
                      (long long)pp.v.c.id);
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = version_select(b, "from", "From", &pp,
                            pp.pv.n_versions > 1
                                ? arena_printf(req->a, "%d",
                                               pp.pv.versions[pp.pv.n_versions - 2].version)
                                : "1",
                            req->a);
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = version_select(b, "to", "To", &pp,
                            pp.pv.n_versions > 1
                                ? arena_printf(req->a, "%d",
                                               pp.pv.versions[pp.pv.n_versions - 1].version)
                                : "draft",
                            req->a);
    if (rc == SH_OK && pp.pv.n_versions > 0)
        rc = html_fmt(b, "</div>\n<button type=\"submit\" class=\"govuk-button "
                         "govuk-button--secondary\" data-module=\"govuk-button\">Compare"
                         "</button>\n</form>\n");
    return pages_end(req, res, rc);
}

/* "draft" (the working draft) or a version number of this case. */
static int plan_named(web_request *req, plan_page *pp, const char *which, plan *out,
                      const char **title)
{
    if (which && strcmp(which, "draft") == 0) {
        *out = pp->pv.draft;
        *title = "the working draft";
        return SH_OK;
    }
    char *end;
    long n = which ? strtol(which, &end, 10) : 0;
    if (!which || *end || n < 1 || n > 100000)
        return SH_ENOTFOUND;
    store_plan_version v;
    app_error err = {0};
    int rc = app_plan_version(req->db, &req->who, &pp->v, (int)n, req->a, &v, out, &err);
    if (rc == SH_OK)
        *title = arena_printf(req->a, "version %d (%s, %s)", v.version,
                              pages_plan_kind_label(v.kind), pages_date_short(req->a, v.issued_on));
    return rc;
}

static const char *change_tag(plan_change_kind k)
{
    return k == PLAN_ADDED     ? "<strong class=\"govuk-tag govuk-tag--green\">Added</strong>"
           : k == PLAN_REMOVED ? "<strong class=\"govuk-tag govuk-tag--red\">Removed</strong>"
                               : "<strong class=\"govuk-tag govuk-tag--blue\">Changed</strong>";
}

/* One side of a change, as the plan shows it ("" when absent). */
static int change_side(doc *d, const plan_item *it, const plan *p, bool setting)
{
    if (setting) {
        doc side = *d;
        side.p = p;
        return setting_rows(&side);
    }
    return it ? item_value(d, it) : SH_OK;
}

static int compare_section(doc *d, plan_section s, const plan_change *v, size_t n,
                           const plan *from, const plan *to)
{
    int rc = html_fmt(d->b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Changes "
                            "in section %s\" tabindex=\"0\">\n<table class=\"govuk-table\">\n"
                            "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
                            "Section %s: %s</caption>\n"
                            "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                            "<th scope=\"col\" class=\"govuk-table__header\">Item</th>\n"
                            "<th scope=\"col\" class=\"govuk-table__header\">Change</th>\n"
                            "<th scope=\"col\" class=\"govuk-table__header\">Before</th>\n"
                            "<th scope=\"col\" class=\"govuk-table__header\">After</th>\n"
                            "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      plan_section_name(s), plan_section_name(s), plan_section_title(s));
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        if (v[i].section != s)
            continue;
        rc = html_fmt(d->b, "<tr class=\"govuk-table__row\">\n"
                            "<th scope=\"row\" class=\"govuk-table__header\">%s</th>\n"
                            "<td class=\"govuk-table__cell\">%r</td>\n"
                            "<td class=\"govuk-table__cell\">",
                      s == PLAN_I ? "Setting" : label_of(d->req->a, s, v[i].id),
                      change_tag(v[i].kind));
        if (rc == SH_OK)
            rc = change_side(d, v[i].before, from, s == PLAN_I);
        if (rc == SH_OK)
            rc = html_fmt(d->b, "</td>\n<td class=\"govuk-table__cell\">");
        if (rc == SH_OK)
            rc = change_side(d, v[i].after, to, s == PLAN_I);
        if (rc == SH_OK)
            rc = html_fmt(d->b, "</td>\n</tr>\n");
    }
    return rc ? rc : html_fmt(d->b, "</tbody>\n</table>\n</div>\n");
}

int page_plan_compare(web_request *req, web_response *res)
{
    plan_page pp;
    int rc = load(req, res, false, &pp);
    if (rc)
        return rc;
    plan from, to;
    const char *from_title, *to_title;
    if ((rc = plan_named(req, &pp, web_query(req, "from"), &from, &from_title)) ||
        (rc = plan_named(req, &pp, web_query(req, "to"), &to, &to_title)))
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "plan", pp.v.c.id, pp.v.c.child_id, "compare")))
        return pages_fail(req, res, rc);
    plan_change *v;
    size_t n;
    if ((rc = plan_diff(&from, &to, req->a, &v, &n)))
        return pages_fail(req, res, rc);
    const char *back = arena_printf(req->a, "/cases/%lld/plan/versions", (long long)pp.v.c.id);
    html_page p = {.title = "Compare versions of the plan", .nav = "caseload", .back_href = back,
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &p);
    if (rc == SH_OK)
        rc = html_fmt(b, "<span class=\"govuk-caption-l\">%s</span>\n"
                         "<h1 class=\"govuk-heading-l\">%s</h1>\n"
                         "<p class=\"govuk-body\">From %s to %s: %zu change%s.</p>\n",
                      pp.name, p.title, from_title, to_title, n, n == 1 ? "" : "s");
    doc d = {.req = req, .b = b, .case_id = pp.v.c.id};
    char unchanged[PLAN_SECTION_COUNT * 4] = "";
    for (int s = 0; rc == SH_OK && s < PLAN_SECTION_COUNT; s++) {
        bool any = false;
        for (size_t i = 0; i < n && !any; i++)
            any = v[i].section == (plan_section)s;
        if (any)
            rc = compare_section(&d, (plan_section)s, v, n, &from, &to);
        else
            snprintf(unchanged + strlen(unchanged), sizeof unchanged - strlen(unchanged),
                     "%s%s", unchanged[0] ? ", " : "", plan_section_name((plan_section)s));
    }
    if (rc == SH_OK && unchanged[0])
        rc = html_fmt(b, "<p class=\"govuk-body\">No changes in sections %s.</p>\n", unchanged);
    return pages_end(req, res, rc);
}

/* ---- the printable view and the PDF ---------------------------------------------------- */

/* The plan as it is printed: who it is for, its status, and every section. */
static int printable(web_request *req, buf *b, const plan_page *pp, const plan *p,
                     const char *status)
{
    const store_child *c = &pp->v.child;
    int rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">Education, health and care plan: "
                         "%s</h1>\n<p class=\"govuk-body\">%s</p>\n"
                         "<dl class=\"govuk-summary-list\">\n"
                         "<div class=\"govuk-summary-list__row govuk-summary-list__row--no-actions\">"
                         "<dt class=\"govuk-summary-list__key\">Name</dt>"
                         "<dd class=\"govuk-summary-list__value\">%s</dd></div>\n"
                         "<div class=\"govuk-summary-list__row govuk-summary-list__row--no-actions\">"
                         "<dt class=\"govuk-summary-list__key\">Date of birth</dt>"
                         "<dd class=\"govuk-summary-list__value\">%D</dd></div>\n",
                      pp->name, status, pp->name, c->date_of_birth);
    if (rc == SH_OK && c->upn[0])
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row govuk-summary-list__row--no-actions\">"
                         "<dt class=\"govuk-summary-list__key\">UPN</dt>"
                         "<dd class=\"govuk-summary-list__value\">%s</dd></div>\n",
                      c->upn);
    if (rc == SH_OK && c->nhs_number[0])
        rc = html_fmt(b, "<div class=\"govuk-summary-list__row govuk-summary-list__row--no-actions\">"
                         "<dt class=\"govuk-summary-list__key\">NHS number</dt>"
                         "<dd class=\"govuk-summary-list__value\">%s</dd></div>\n",
                      pages_nhs_number(req->a, c->nhs_number));
    if (rc == SH_OK)
        rc = html_fmt(b, "</dl>\n");
    return rc ? rc : pages_plan_sections(req, b, pp->v.c.id, p);
}

/* Which plan a print or PDF route shows: params[1] is a version, else the draft. */
static int printed_plan(web_request *req, plan_page *pp, bool version, plan *p,
                        const char **status)
{
    if (!version) {
        *p = pp->pv.draft;
        *status = arena_printf(req->a, "Working draft, not issued (printed %s).",
                               pages_date_short(req->a, req->today));
        return SH_OK;
    }
    store_plan_version v;
    app_error err = {0};
    int rc = req->params[1] > 100000
                 ? SH_ENOTFOUND
                 : app_plan_version(req->db, &req->who, &pp->v, (int)req->params[1], req->a, &v,
                                    p, &err);
    if (rc == SH_OK)
        *status = arena_printf(req->a, "Version %d: %s, issued %s.", v.version,
                               pages_plan_kind_label(v.kind), pages_date_short(req->a, v.issued_on));
    return rc;
}

static int print_page(web_request *req, web_response *res, bool version)
{
    plan_page pp;
    int rc = version ? load_version(req, res, &pp) : load(req, res, false, &pp);
    if (rc)
        return rc;
    plan p;
    const char *status;
    if ((rc = printed_plan(req, &pp, version, &p, &status)))
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "read", "plan", pp.v.c.id, pp.v.c.child_id, "print")))
        return pages_fail(req, res, rc);
    const char *back = arena_printf(req->a, "/cases/%lld/plan", (long long)pp.v.c.id);
    bool family = access_can(&req->who, CAN_USE_PORTAL);
    html_page hp = {.title = arena_printf(req->a, "EHC plan: %s", pp.name),
                    .nav = family ? "portal" : "caseload",
                    .back_href = family ? arena_printf(req->a, "/portal/children/%lld",
                                                       (long long)pp.v.c.child_id)
                                        : back,
                    .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, 200, &hp);
    if (rc == SH_OK)
        rc = html_fmt(b, "<p class=\"govuk-body sendhub-no-print\"><a class=\"govuk-link\" "
                         "href=\"%s/pdf\">Download this plan as a PDF</a>. To print, use your "
                         "browser's print command: the page prints without the navigation."
                         "</p>\n<div class=\"sendhub-plan-print\">\n",
                      version ? arena_printf(req->a, "/cases/%lld/plan/versions/%lld",
                                             (long long)pp.v.c.id, (long long)req->params[1])
                              : back);
    if (rc == SH_OK)
        rc = printable(req, b, &pp, &p, status);
    if (rc == SH_OK)
        rc = html_fmt(b, "</div>\n");
    return pages_end(req, res, rc);
}

int page_plan_print(web_request *req, web_response *res) { return print_page(req, res, false); }
int page_plan_version(web_request *req, web_response *res) { return print_page(req, res, true); }

/* The stylesheet of the PDF's self-contained document: plain, large enough
 * to read, each section kept together where it fits. */
static const char pdf_css[] =
    "body{font-family:\"Liberation Sans\",Arial,\"DejaVu Sans\",sans-serif;font-size:11pt;"
    "line-height:1.4;color:#0b0c0c;margin:0}"
    "h1{font-size:18pt;margin:0 0 6pt}h2{font-size:14pt;margin:0 0 6pt}"
    "h3{font-size:12pt}p{margin:0 0 6pt}"
    ".govuk-summary-card{border:1px solid #b1b4b6;margin:0 0 12pt;break-inside:auto}"
    ".govuk-summary-card__title-wrapper{background:#f3f2f1;padding:6pt 8pt}"
    ".govuk-summary-card__content{padding:6pt 8pt}"
    ".govuk-summary-list{margin:0}"
    ".govuk-summary-list__row{display:flex;border-bottom:1px solid #b1b4b6;padding:4pt 0;"
    "break-inside:avoid}"
    ".govuk-summary-list__key{font-weight:bold;width:20%;margin:0}"
    ".govuk-summary-list__value{width:80%;margin:0}"
    ".govuk-list{list-style:none;padding:0;margin:0 0 6pt}"
    ".govuk-body-s{font-size:10pt}.sendhub-plan-text{white-space:pre-line}"
    ".govuk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0)}"
    "@page{margin:18mm 16mm}";


int pages_pdf_begin(buf *html, const char *title, const char *extra_css)
{
    buf_init(html, WEB_MAX_RESPONSE);
    return html_fmt(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "%r\n<title>%s</title>\n<style>%r%r</style>\n</head>\n<body>\n"
                          "<main>\n",
                    PDF_CSP_META, title, pdf_css, extra_css ? extra_css : "");
}

int pages_pdf_end(web_request *req, web_response *res, buf *html, int rc, const char *filename)
{
    if (rc == SH_OK)
        rc = html_fmt(html, "</main>\n</body>\n</html>\n");
    buf_reset(&res->body);
    if (rc == SH_OK)
        rc = pdf_from_html(html->data, html->len, &res->body);
    buf_free(html);
    if (rc)
        return pages_fail(req, res, rc);
    res->status = 200;
    res->content_type = "application/pdf";
    res->disposition = arena_printf(req->a, "attachment; filename=\"%s\"", filename);
    return res->disposition ? SH_OK : pages_fail(req, res, SH_ENOMEM);
}

static int pdf_page(web_request *req, web_response *res, bool version)
{
    plan_page pp;
    int rc = version ? load_version(req, res, &pp) : load(req, res, false, &pp);
    if (rc)
        return rc;
    plan p;
    const char *status;
    if ((rc = printed_plan(req, &pp, version, &p, &status)))
        return pages_fail(req, res, rc);
    if ((rc = pages_audit(req, "export", "plan", pp.v.c.id, pp.v.c.child_id, "pdf")))
        return pages_fail(req, res, rc);
    buf html;
    rc = pages_pdf_begin(&html, arena_printf(req->a, "EHC plan: %s", pp.name), NULL);
    if (rc == SH_OK)
        rc = printable(req, &html, &pp, &p, status);
    return pages_pdf_end(req, res, &html, rc,
                         arena_printf(req->a, "ehc-plan-case-%lld%s.pdf", (long long)pp.v.c.id,
                                      version ? arena_printf(req->a, "-v%lld",
                                                             (long long)req->params[1])
                                              : "-draft"));
}

int page_plan_pdf(web_request *req, web_response *res) { return pdf_page(req, res, false); }
int page_plan_version_pdf(web_request *req, web_response *res) { return pdf_page(req, res, true); }
