/*
 * page_people.c — accounts of the area, for administrators: the list, adding
 * a person, disabling and enabling an account, and setting a new password.
 *
 * The rules (who may do it, the password policy, what is audited, ending a
 * person's sessions) are auth.h's; these pages only collect the input and
 * show the answer. Accounts are addressed by id in URLs and looked up in the
 * administrator's own area, so another area's accounts are "not found".
 */
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "app/auth.h"
#include "util/err.h"
#include "web/pages.h"

#define PASSWORD_HINT                                                                       \
    "At least 12 characters. Not a common password, and not containing the username. A "    \
    "few unrelated words together are easy to remember and hard to guess"

static const char *when(web_request *req, int64_t t)
{
    if (t == 0)
        return "Never";
    time_t tt = (time_t)t;
    struct tm tm;
    char out[64];
    if (!localtime_r(&tt, &tm) || !strftime(out, sizeof out, "%e %B %Y, %H:%M", &tm))
        return "";
    return arena_strdup(req->a, out[0] == ' ' ? out + 1 : out);
}

/* The account `id` in the administrator's area. */
static int load_person(web_request *req, int64_t id, store_user *u)
{
    int rc = store_user_by_id(req->db, id, req->a, u);
    if (rc == SH_OK && strcmp(u->la_code, req->who.la_code) != 0)
        rc = SH_ENOTFOUND;
    return rc;
}

/* ---- the list ------------------------------------------------------------------------ */

static const char *status_tag(const store_user *u, int64_t now)
{
    if (u->disabled)
        return "<strong class=\"govuk-tag govuk-tag--grey\">Disabled</strong>";
    if (u->locked_until > now)
        return "<strong class=\"govuk-tag govuk-tag--orange\">Locked</strong>";
    return "<strong class=\"govuk-tag govuk-tag--green\">Active</strong>";
}

static int person_actions(web_request *req, buf *b, const store_user *u)
{
    int rc = html_fmt(b, "<td class=\"govuk-table__cell\">\n"
                         "<a class=\"govuk-link\" href=\"/people/%lld/reset-password\">Set a new "
                         "password<span class=\"govuk-visually-hidden\"> for %s</span></a>\n",
                      (long long)u->id, u->display_name);
    if (rc || strcmp(u->username, req->who.username) == 0)
        return rc ? rc : html_fmt(b, "</td>\n"); /* nobody disables themselves by mistake */
    rc = html_fmt(b, "<form method=\"post\" action=\"/people/%lld/%s\" class=\"sendhub-inline-form\" "
                     "novalidate>\n",
                  (long long)u->id, u->disabled ? "enable" : "disable");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button "
                            "govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-top-2\" "
                            "data-module=\"govuk-button\">%s<span "
                            "class=\"govuk-visually-hidden\"> %s</span></button>\n</form>\n</td>\n",
                         u->disabled ? "Enable" : "Disable", u->display_name);
}

static int person_row(web_request *req, buf *b, const store_user *u)
{
    int role = access_role_parse(u->role);
    const char *where = u->setting_urn[0]
                            ? arena_printf(req->a, "%s URN %s", u->organisation, u->setting_urn)
                            : u->organisation;
    int rc = html_fmt(b, "<tr class=\"govuk-table__row\">\n"
                         "<th scope=\"row\" class=\"govuk-table__header\">%s"
                         "<br><span class=\"govuk-body-s\">%s</span></th>\n"
                         "<td class=\"govuk-table__cell\">%s</td>\n"
                         "<td class=\"govuk-table__cell\">%s",
                      u->display_name, u->email, u->username,
                      role >= 0 ? access_role_label((app_role)role) : u->role);
    if (rc == SH_OK && where && where[0])
        rc = html_fmt(b, "<br><span class=\"govuk-body-s\">%s</span>", where);
    if (rc == SH_OK)
        rc = html_fmt(b, "</td>\n<td class=\"govuk-table__cell\">%r<br><span "
                         "class=\"govuk-body-s\">Last signed in: %s</span></td>\n",
                      status_tag(u, req->now), when(req, u->last_sign_in));
    return rc ? rc : person_actions(req, b, u);
}

static int people_table(web_request *req, buf *b, const store_user *users, size_t n)
{
    int rc = html_fmt(b, "<div class=\"sendhub-table-wrap\" role=\"region\" aria-label=\"Accounts\" tabindex=\"0\">\n<table class=\"govuk-table sendhub-table-s\">\n"
                         "<caption class=\"govuk-table__caption govuk-table__caption--m\">%zu "
                         "%s</caption>\n"
                         "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Name</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Username</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Role</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Status</th>\n"
                         "<th scope=\"col\" class=\"govuk-table__header\">Actions</th>\n"
                         "</tr></thead>\n<tbody class=\"govuk-table__body\">\n",
                      n, n == 1 ? "account" : "accounts");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = person_row(req, b, &users[i]);
    return rc ? rc : html_fmt(b, "</tbody>\n</table>\n</div>\n");
}

static int add_form(web_request *req, buf *b, const web_form *values, const pages_errors *errs)
{
    pages_option roles[ROLE_COUNT + 1] = {{"", "Choose a role", NULL}};
    size_t nr = 1;
    for (int r = 0; r < ROLE_COUNT; r++)
        if (r != ROLE_SYSTEM && r != ROLE_PARENT)
            roles[nr++] = (pages_option){access_role_name((app_role)r),
                                         access_role_label((app_role)r), NULL};
    int rc = html_fmt(b, "<h2 class=\"govuk-heading-m\" id=\"add\">Add a person</h2>\n"
                         "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<form method=\"post\" action=\"/people\" novalidate>\n");
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "display_name", .label = "Full name",
                                                .value = form_get(values, "display_name"),
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "username", .label = "Username",
                                                .hint = "3 to 64 characters: lower-case letters, "
                                                        "numbers, dots, hyphens and underscores",
                                                .value = form_get(values, "username"),
                                                .classes = "govuk-input--width-20",
                                                .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "email", .label = "Email (optional)",
                                                .value = form_get(values, "email"),
                                                .type = "email",
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "off", .spellcheck_off = true},
                         errs);
    if (rc == SH_OK)
        rc = pages_select(b, "role", "Role", NULL, roles, nr, form_get(values, "role"), errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "organisation",
                                                .label = "Organisation",
                                                .hint = "Their team, NHS trust or school "
                                                        "(optional); for a parent carer forum "
                                                        "member, the forum's name",
                                                .value = form_get(values, "organisation"),
                                                .classes = "govuk-!-width-two-thirds"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "setting_urn",
                                                .label = "School or college URN",
                                                .hint = "Only for school or college staff: they "
                                                        "see the children on their roll",
                                                .value = form_get(values, "setting_urn"),
                                                .classes = "govuk-input--width-10",
                                                .inputmode = "numeric"},
                         errs);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "password", .label = "First password",
                                                .hint = PASSWORD_HINT ". Give it to them in "
                                                        "person or by phone",
                                                .value = "", .type = "password",
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "new-password"},
                         errs);
    return rc ? rc
              : html_fmt(b, "<button type=\"submit\" class=\"govuk-button\" "
                            "data-module=\"govuk-button\">Add person</button>\n</form>\n"
                            "</div>\n</div>\n");
}

/* The banner after a change: ?added=, ?disabled=, ?enabled= or ?reset=<id>. */
static int change_banner(web_request *req, buf *b, const store_user *users, size_t n)
{
    static const struct {
        const char *arg, *text;
    } changes[] = {{"added", "Account added for %s"},
                   {"disabled", "%s can no longer sign in"},
                   {"enabled", "%s can sign in again"},
                   {"reset", "New password set for %s. Their sessions have ended"}};
    for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++) {
        const char *v = web_query(req, changes[c].arg);
        for (size_t i = 0; v && i < n; i++) {
            const char *id = arena_printf(req->a, "%lld", (long long)users[i].id);
            if (!id || strcmp(id, v) != 0)
                continue;
            const char *msg = arena_printf(req->a, changes[c].text, users[i].display_name);
            return msg ? pages_success_banner(b, msg) : SH_ENOMEM;
        }
    }
    return SH_OK;
}

static int render_people(web_request *req, web_response *res, int status,
                         const web_form *values, const pages_errors *errs)
{
    store_user *users = NULL;
    size_t n = 0;
    int rc = store_user_list(req->db, req->who.la_code, req->a, &users, &n);
    if (rc)
        return pages_fail(req, res, rc);
    html_page p = {.title = "People", .nav = "people", .has_errors = errs->n > 0,
                   .no_h1 = true};
    buf *b = &res->body;
    rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK && errs->n == 0)
        rc = change_banner(req, b, users, n);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<h1 class=\"govuk-heading-l\">People</h1>\n"
                         "<p class=\"govuk-body\">Accounts for your area. A disabled account "
                         "cannot sign in; its history stays in the audit log.</p>\n"
                         "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"#add\">Add a "
                         "person</a></p>\n");
    if (rc == SH_OK)
        rc = people_table(req, b, users, n);
    if (rc == SH_OK)
        rc = add_form(req, b, values, errs);
    return pages_end(req, res, rc);
}

int page_people(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_MANAGE_PEOPLE))
        return pages_fail(req, res, SH_EDENIED);
    web_form values = {0};
    pages_errors errs = {0};
    return render_people(req, res, 200, &values, &errs);
}

/* Maps auth.h's field names onto this form's (they are the same, except
 * the area, which the form does not ask for). */
static const char *form_field(const char *field)
{
    return field && strcmp(field, "la_code") != 0 ? field : NULL;
}

int page_person_add(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_MANAGE_PEOPLE))
        return pages_fail(req, res, SH_EDENIED);
    web_form f;
    int rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    auth_new_user nu = {
        .username = pages_trim(req->a, form_get(&f, "username")),
        .display_name = pages_trim(req->a, form_get(&f, "display_name")),
        .email = pages_trim(req->a, form_get(&f, "email")),
        .role = pages_trim(req->a, form_get(&f, "role")),
        .organisation = pages_trim(req->a, form_get(&f, "organisation")),
        .setting_urn = pages_trim(req->a, form_get(&f, "setting_urn")),
        .password = form_get(&f, "password") ? form_get(&f, "password") : "",
    };
    pages_errors errs = {0}; /* the blanks all at once; auth.h checks the rest */
    if (!nu.display_name[0])
        pages_errors_add(&errs, "display_name", "Enter their full name");
    if (!nu.username[0])
        pages_errors_add(&errs, "username", "Enter a username");
    if (!nu.role[0])
        pages_errors_add(&errs, "role", "Select a role");
    if (!nu.password[0])
        pages_errors_add(&errs, "password", "Enter a first password");
    store_user added;
    app_error err = {0};
    if (errs.n == 0)
        rc = auth_user_add(req->db, &req->who, &nu, req->now, &added, &err);
    if (errs.n == 0 && rc == SH_OK)
        return pages_redirect(res, arena_printf(req->a, "/people?added=%lld",
                                                (long long)added.id));
    if (rc == SH_EINVAL || rc == SH_ECONFLICT)
        pages_errors_add(&errs, form_field(err.field), arena_strdup(req->a, err.message));
    else if (rc)
        return pages_fail(req, res, rc);
    return render_people(req, res, 422, &f, &errs);
}

static int set_disabled(web_request *req, web_response *res, bool disabled)
{
    if (!access_can(&req->who, CAN_MANAGE_PEOPLE))
        return pages_fail(req, res, SH_EDENIED);
    store_user u;
    int rc = load_person(req, req->params[0], &u);
    app_error err = {0};
    if (rc == SH_OK)
        rc = auth_user_set_disabled(req->db, &req->who, u.username, disabled, req->now, &err);
    if (rc == SH_EINVAL) {
        pages_errors errs = {0};
        pages_errors_add(&errs, NULL, arena_strdup(req->a, err.message));
        web_form none = {0};
        return render_people(req, res, 422, &none, &errs);
    }
    if (rc)
        return pages_fail(req, res, rc);
    return pages_redirect(res, arena_printf(req->a, "/people?%s=%lld",
                                            disabled ? "disabled" : "enabled", (long long)u.id));
}

int page_person_disable(web_request *req, web_response *res)
{
    return set_disabled(req, res, true);
}

int page_person_enable(web_request *req, web_response *res)
{
    return set_disabled(req, res, false);
}

/* ---- a new password ------------------------------------------------------------------- */

static int render_password(web_request *req, web_response *res, int status, const store_user *u,
                           const pages_errors *errs)
{
    html_page p = {.title = "Set a new password", .nav = "people", .back_href = "/people",
                   .has_errors = errs->n > 0, .no_h1 = true};
    buf *b = &res->body;
    int rc = pages_begin(req, res, status, &p);
    if (rc == SH_OK)
        rc = html_error_summary(b, errs->e, errs->n);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                         "<span class=\"govuk-caption-l\">%s (%s)</span>\n"
                         "<h1 class=\"govuk-heading-l\">Set a new password</h1>\n"
                         "<p class=\"govuk-body\">They will be signed out everywhere and must "
                         "sign in with the new password. Give it to them in person or by "
                         "phone.</p>\n"
                         "<form method=\"post\" action=\"/people/%lld/reset-password\" novalidate>\n",
                      u->display_name, u->username, (long long)u->id);
    if (rc == SH_OK)
        rc = pages_csrf_input(b, req);
    if (rc == SH_OK)
        rc = pages_input(b, &(pages_input_spec){.name = "password", .label = "New password",
                                                .hint = PASSWORD_HINT, .value = "",
                                                .type = "password",
                                                .classes = "govuk-!-width-two-thirds",
                                                .autocomplete = "new-password"},
                         errs);
    if (rc == SH_OK)
        rc = html_fmt(b, "<div class=\"govuk-button-group\">\n"
                         "<button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Set new password</button>\n"
                         "<a class=\"govuk-link\" href=\"/people\">Cancel</a>\n</div>\n"
                         "</form>\n</div>\n</div>\n");
    return pages_end(req, res, rc);
}

int page_person_password_form(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_MANAGE_PEOPLE))
        return pages_fail(req, res, SH_EDENIED);
    store_user u;
    int rc = load_person(req, req->params[0], &u);
    if (rc)
        return pages_fail(req, res, rc);
    pages_errors errs = {0};
    return render_password(req, res, 200, &u, &errs);
}

int page_person_password(web_request *req, web_response *res)
{
    if (!access_can(&req->who, CAN_MANAGE_PEOPLE))
        return pages_fail(req, res, SH_EDENIED);
    store_user u;
    web_form f;
    int rc = load_person(req, req->params[0], &u);
    if (rc == SH_OK)
        rc = pages_form(req, &f);
    if (rc)
        return pages_fail(req, res, rc);
    const char *password = form_get(&f, "password");
    pages_errors errs = {0};
    app_error err = {0};
    if (!password || !password[0])
        pages_errors_add(&errs, "password", "Enter a new password");
    else
        rc = auth_user_reset_password(req->db, &req->who, u.username, password, req->now, &err);
    if (rc == SH_EINVAL)
        pages_errors_add(&errs, "password", arena_strdup(req->a, err.message));
    else if (rc)
        return pages_fail(req, res, rc);
    if (errs.n)
        return render_password(req, res, 422, &u, &errs);
    return pages_redirect(res, arena_printf(req->a, "/people?reset=%lld", (long long)u.id));
}
