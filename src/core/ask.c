/*
 * ask.c — checking an online request for an EHC needs assessment, and the
 * date the council must decide by (ask.h).
 */
#include "core/ask.h"

#include <stdio.h>
#include <string.h>

#include "core/event.h"
#include "core/journey.h"
#include "util/err.h"

static void add(ask_errors *errs, const char *field, const char *message)
{
    if (errs->n < ASK_MAX_ERRORS)
        errs->e[errs->n++] = (ask_error){field, message};
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* One line of text: no tab or line break (the form layer already refused
 * every other control character). */
static bool one_line(const char *s)
{
    return strpbrk(s, "\t\r\n") == NULL;
}

/* A required or optional one-line field of at most max bytes. */
static void check_line(ask_errors *errs, const char *field, const char *v, size_t max,
                       bool required, const char *missing, const char *too_long,
                       const char *lines)
{
    if (!v[0]) {
        if (required)
            add(errs, field, missing);
    } else if (strlen(v) > max) {
        add(errs, field, too_long);
    } else if (!one_line(v)) {
        add(errs, field, lines);
    }
}

/* An email address in its plain form (as app/auth.c checks accounts'): one
 * @ with something either side, a dot in the domain, no spaces. */
static bool email_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    bool ok = n >= 3 && n <= ASK_EMAIL_MAX && at && at > s && !strchr(at + 1, '@') &&
              strchr(at + 1, '.') && at[1] != '.' && s[n - 1] != '.';
    for (const unsigned char *p = (const unsigned char *)s; ok && *p; p++)
        ok = *p > 0x20 && *p != 0x7f;
    return ok;
}

/* A UK or international number as people write it: digits with spaces,
 * dashes, brackets and a leading +; 10 to 15 digits (E.164's ceiling). */
static bool phone_ok(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" -()", *p) && !(*p == '+' && p == s))
            return false;
    }
    return digits >= 10 && digits <= 15;
}

static void check_asker(const ask_input *in, ask_clean *out, ask_errors *errs)
{
    int role = portal_rel_parse(or_empty(in->asker_role));
    out->role = role < 0 ? PORTAL_PARENT : (portal_rel)role;
    if (role < 0)
        add(errs, "asker_role", "Select who is asking for the assessment");
    if (role != PORTAL_YOUNG_PERSON)
        check_line(errs, "relationship", or_empty(in->relationship), ASK_REL_MAX,
                   role >= 0, "Enter your relationship to the child, for example mother",
                   "Your relationship to the child must be 100 characters or fewer",
                   "Your relationship to the child must be on one line");
}

static void check_child(const ask_input *in, date_t today, ask_clean *out, ask_errors *errs)
{
    check_line(errs, "forename", or_empty(in->forename), ASK_NAME_MAX, true,
               "Enter their first name", "Their first name must be 100 characters or fewer",
               "Their first name must be on one line");
    check_line(errs, "surname", or_empty(in->surname), ASK_NAME_MAX, true,
               "Enter their last name", "Their last name must be 100 characters or fewer",
               "Their last name must be on one line");
    date_t dob = in->date_of_birth;
    if (dob != DATE_NONE) {
        if (dob > today)
            add(errs, "date_of_birth-day", "Their date of birth must be in the past");
        else if (date_add_months(dob, 25 * 12) <= today)
            add(errs, "date_of_birth-day",
                "An EHC needs assessment is for children and young people under 25");
        else if (out->role == PORTAL_YOUNG_PERSON && !portal_young_person_ok(dob, today))
            add(errs, "date_of_birth-day",
                "A young person can ask for themselves once they are over compulsory school "
                "age (after the last Friday of June in the school year they turn 16). "
                "Before then, a parent or carer asks");
    }
    const char *why = NULL;
    const char *pc = or_empty(in->postcode);
    if (pc[0] && ident_postcode_normalise(pc, strlen(pc), out->postcode, &why) != SH_OK)
        add(errs, "postcode", "Enter a real postcode, like SW1A 1AA, or leave it empty");
    check_line(errs, "setting_name", or_empty(in->setting_name), ASK_SETTING_MAX, false, NULL,
               "The school, college or nursery must be 200 characters or fewer",
               "The school, college or nursery must be on one line");
    const char *upn = or_empty(in->upn);
    if (upn[0] && ident_upn_normalise(upn, strlen(upn), out->upn, NULL, &why) != SH_OK)
        add(errs, "upn", "Enter the UPN as it is on a school report: 13 characters, starting "
                         "with a letter, or leave it empty");
    const char *nhs = or_empty(in->nhs_number);
    if (nhs[0] && ident_nhs_normalise(nhs, strlen(nhs), out->nhs_number, &why) != SH_OK)
        add(errs, "nhs_number", "Enter a real NHS number, 10 digits like 943 476 5919, or "
                                "leave it empty");
}

static void check_text(ask_errors *errs, const char *field, const char *v, bool required,
                       const char *missing, const char *too_long)
{
    if (!v[0]) {
        if (required)
            add(errs, field, missing);
    } else if (strlen(v) > ASK_TEXT_MAX) {
        add(errs, field, too_long);
    }
}

static void check_contact(const ask_input *in, ask_errors *errs)
{
    check_line(errs, "asker_name", or_empty(in->asker_name), ASK_NAME_MAX, true,
               "Enter your full name", "Your name must be 100 characters or fewer",
               "Your name must be on one line");
    const char *email = or_empty(in->email);
    if (!email[0])
        add(errs, "email", "Enter your email address");
    else if (!email_ok(email))
        add(errs, "email",
            "Enter an email address in the correct format, like name@example.org.uk");
    const char *phone = or_empty(in->phone);
    if (phone[0] && (strlen(phone) > ASK_PHONE_MAX || !phone_ok(phone)))
        add(errs, "phone", "Enter a telephone number, like 01632 960 001 or 07700 900 982, "
                           "or leave it empty");
}

size_t ask_check(const ask_input *in, date_t today, ask_clean *out, ask_errors *errs)
{
    memset(out, 0, sizeof *out);
    check_asker(in, out, errs);
    check_child(in, today, out, errs);
    check_text(errs, "needs", or_empty(in->needs), true,
               "Describe their needs and why you are asking",
               "Their needs must be 5000 characters or fewer");
    check_text(errs, "tried", or_empty(in->tried), false, NULL,
               "What has been tried must be 5000 characters or fewer");
    check_contact(in, errs);
    if (!in->consent)
        add(errs, "consent", "Confirm the declaration to send the request");
    return errs->n;
}

int ask_decision_due(date_t received, arena *a, date_t *due)
{
    *due = DATE_NONE;
    event start;
    event_init(&start, EV_REQUEST_RECEIVED, received);
    journey_timeline t;
    journey_error err;
    int rc = journey_compute(&start, 1, received, a, &t, &err);
    if (rc)
        return rc;
    for (size_t i = 0; i < t.n_deadlines; i++)
        if (strcmp(journey_rule_key(t.deadlines[i].rule), "decision_to_assess") == 0)
            *due = t.deadlines[i].due;
    return *due == DATE_NONE ? SH_EINVAL : SH_OK;
}

const char *ask_reference(const char *la_code, long long id, char *out, size_t n)
{
    snprintf(out, n, "ASK-%s-%06lld", la_code, id);
    return out;
}

const char *ask_ack_body(const char *reference, char *out, size_t n)
{
    snprintf(out, n,
             "The council's special educational needs (SEND) team has received a request "
             "for an education, health and care (EHC) needs assessment.\n\n"
             "Your reference number is %s. Quote it if you contact the council.\n\n"
             "The council must decide whether to carry out the assessment within 6 weeks of "
             "receiving the request. The council will contact you to tell you what it has "
             "decided, and may contact you before then to ask for more information.\n\n"
             "You are getting this email because this address was given when the request "
             "was sent online. If you did not send a request, contact your council's SEND "
             "team.\n",
             reference);
    return out;
}

const char *ask_close_reason_label(const char *reason)
{
    static const struct {
        const char *name, *label;
    } reasons[] = {
        {"duplicate", "The child already has a case (a duplicate request)"},
        {"not_this_council", "The child does not live in this council's area"},
        {"withdrawn", "The family withdrew the request"},
        {"other", "Another reason"},
    };
    for (size_t i = 0; reason && i < sizeof reasons / sizeof reasons[0]; i++)
        if (strcmp(reason, reasons[i].name) == 0)
            return reasons[i].label;
    return NULL;
}
