/*
 * portal.c — relationships, the end of compulsory school age and the state
 * of an invitation code (portal.h).
 */
#include "core/portal.h"

#include <stdio.h>
#include <string.h>

#include "core/filetype.h"
#include "util/err.h"

static const struct {
    const char *name, *label;
} rels[PORTAL_REL_COUNT] = {
    [PORTAL_PARENT] = {"parent", "Parent"},
    [PORTAL_CARER] = {"carer", "Carer"},
    [PORTAL_YOUNG_PERSON] = {"young_person", "Young person (their own account)"},
};

const char *portal_rel_name(portal_rel r)
{
    return r >= 0 && r < PORTAL_REL_COUNT ? rels[r].name : "unknown";
}

const char *portal_rel_label(portal_rel r)
{
    return r >= 0 && r < PORTAL_REL_COUNT ? rels[r].label : "Unknown";
}

int portal_rel_parse(const char *s)
{
    for (int r = 0; s && r < PORTAL_REL_COUNT; r++)
        if (strcmp(s, rels[r].name) == 0)
            return r;
    return -1;
}

date_t portal_school_age_end(date_t dob)
{
    int y, m;
    date_to_ymd(dob, &y, &m, NULL);
    /* the school year in which the 16th birthday falls ends in June of the
     * birthday's year, or of the next year for a birthday from September */
    int year = y + 16 + (m >= 9 ? 1 : 0);
    date_t end = DATE_NONE;
    if (date_from_ymd(year > DATE_MAX_YEAR ? DATE_MAX_YEAR : year, 6, 30, &end))
        return DATE_NONE;
    return date_add_days(end, -((date_weekday(end) - 5 + 7) % 7)); /* back to Friday */
}

bool portal_young_person_ok(date_t dob, date_t today)
{
    date_t end = portal_school_age_end(dob);
    return end != DATE_NONE && today > end;
}

date_t portal_draft_closes(date_t served)
{
    return served == DATE_NONE ? DATE_NONE : date_add_days(served, 15);
}

portal_code_state portal_code_check(int64_t expires_at, int64_t used_at, int64_t now)
{
    if (used_at)
        return PORTAL_CODE_USED;
    return now < expires_at ? PORTAL_CODE_OK : PORTAL_CODE_EXPIRED;
}

const char *portal_stage_text(journey_stage s)
{
    static const char *const text[STAGE_COUNT] = {
        [STAGE_REQUEST] = "The council is deciding whether to carry out an EHC needs "
                          "assessment.",
        [STAGE_ASSESSMENT] = "The council is carrying out an EHC needs assessment. It is "
                             "asking people who know your child for advice.",
        [STAGE_REFUSED] = "The council decided not to carry out an assessment. You can "
                          "appeal against this decision.",
        [STAGE_NO_PLAN] = "The council decided not to write an EHC plan. You can appeal "
                          "against this decision.",
        [STAGE_DRAFT] = "The council has sent you a draft EHC plan. You can comment on it "
                        "and say which school or college you want.",
        [STAGE_PLAN] = "Your child has an EHC plan. It is reviewed at least once a year.",
        [STAGE_REVIEW] = "The annual review meeting has taken place. The council is "
                         "deciding what happens next.",
        [STAGE_AMENDMENT] = "The council has proposed changes to the EHC plan. You can "
                            "comment on them.",
        [STAGE_CEASED] = "The EHC plan has ended.",
    };
    return s >= 0 && s < STAGE_COUNT ? text[s] : "";
}

/* Who gives advice, as the family would say it. */
static const char *advice_from(event_agency a)
{
    static const char *const who[AGENCY_COUNT] = {
        [AGENCY_EDUCATION] = "your child's school, college or nursery",
        [AGENCY_HEALTH] = "health",
        [AGENCY_SOCIAL_CARE] = "social care",
        [AGENCY_PSYCHOLOGY] = "an educational psychologist",
        [AGENCY_OTHER] = "another service",
    };
    return a >= 0 && a < AGENCY_COUNT ? who[a] : "another service";
}

size_t portal_done_text(const journey_deadline *d, char *out, size_t n)
{
    static const struct {
        const char *key, *text;
    } done[] = {
        {"decision_to_assess", "The council decided whether to carry out an assessment."},
        {"no_plan_decision", "The council told you it will not write an EHC plan."},
        {"final_plan", "The final EHC plan was issued."},
        {"transfer_notice", "The council told you about the plan it took over."},
        {"annual_review", "The annual review meeting took place."},
        {"review_report", "The school or college sent its review report."},
        {"review_decision", "The council decided what happens after the review."},
        {"amendment_comments", "Your comments on the proposed changes were received."},
        {"amended_plan", "The amended EHC plan was issued."},
        {"phase_transfer", "The plan was changed for the move to a new school or college."},
        {"appeal_deadline", "An appeal was made to the tribunal."},
    };
    const char *key = journey_rule_key(d->rule);
    int len;
    if (strcmp(key, "advice") == 0) {
        len = snprintf(out, n, "Advice from %s arrived.", advice_from(d->agency));
        return len < 0 ? 0 : (size_t)len;
    }
    const char *text = "A step was completed.";
    for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
        if (strcmp(key, done[i].key) == 0)
            text = done[i].text;
    len = snprintf(out, n, "%s", text);
    return len < 0 ? 0 : (size_t)len;
}

size_t portal_advice_text(const journey_deadline *d, date_t as_of, char *out, size_t n)
{
    if (!d || strcmp(journey_rule_key(d->rule), "advice") != 0) {
        if (n)
            out[0] = '\0';
        return 0;
    }
    const char *from = advice_from(d->agency);
    char date[40];
    int len;
    if (d->done != DATE_NONE) {
        date_format_long(d->done, date, sizeof date);
        len = snprintf(out, n, "Advice from %s arrived on %s.", from, date);
    } else {
        date_format_long(d->due, date, sizeof date);
        len = d->due < as_of
                  ? snprintf(out, n, "Advice from %s was due on %s and has not arrived yet.",
                             from, date)
                  : snprintf(out, n, "Advice from %s is due by %s.", from, date);
    }
    return len < 0 ? 0 : (size_t)len;
}

const char *portal_activity_text(const char *action, const char *object)
{
    static const struct {
        const char *action, *object, *text; /* object NULL: any */
    } words[] = {
        {"denied", NULL, "tried to open the record and was refused"},
        {"read", "plan", "looked at the EHC plan"},
        {"read", "attachment", "opened a file the family sent"},
        {"read", "referral", "looked at the health waiting lists"},
        {"read", NULL, "looked at the record"},
        {"export", "plan", "downloaded the EHC plan"},
        {"export", NULL, "copied the record into a report"},
        {"write", "submission", "sent views or comments"},
        {"write", "message", "sent a message"},
        {"write", "invitation", "invited a family member to this portal"},
        {"write", "notification", "e-mailed a family member about an upcoming date"},
        {"write", "family_access", "ended a family member's access to this portal"},
        {"write", "plan", "changed the EHC plan"},
        {"write", "referral", "updated a health referral"},
        {"write", NULL, "changed the record"},
        {"join", NULL, "joined this portal"},
    };
    for (size_t i = 0; action && i < sizeof words / sizeof words[0]; i++)
        if (strcmp(action, words[i].action) == 0 &&
            (!words[i].object || (object && strcmp(object, words[i].object) == 0)))
            return words[i].text;
    return "used the record";
}

/* ---- files a family attaches ---------------------------------------------------- */

/* Each kind a family may send is one of core/filetype.h's, whose names,
 * types and labels it takes. */
static const filetype_kind file_kinds[PORTAL_FILE_KIND_COUNT] = {
    [PORTAL_FILE_PDF] = FILETYPE_PDF,
    [PORTAL_FILE_JPEG] = FILETYPE_JPEG,
    [PORTAL_FILE_PNG] = FILETYPE_PNG,
};

static filetype_kind as_filetype(portal_file_kind k)
{
    return k >= 0 && k < PORTAL_FILE_KIND_COUNT ? file_kinds[k] : FILETYPE_COUNT;
}

const char *portal_file_kind_name(portal_file_kind k)
{
    return filetype_name(as_filetype(k));
}

int portal_file_kind_parse(const char *s)
{
    for (int k = 0; s && k < PORTAL_FILE_KIND_COUNT; k++)
        if (strcmp(s, filetype_name(file_kinds[k])) == 0)
            return k;
    return -1;
}

const char *portal_file_mime(portal_file_kind k)
{
    return filetype_mime(as_filetype(k));
}

const char *portal_file_label(portal_file_kind k)
{
    return filetype_label(as_filetype(k));
}

int portal_file_check(const unsigned char *data, size_t len, portal_file_kind *kind,
                      const char **why)
{
    if (len > PORTAL_FILE_MAX) {
        *why = "The file must be smaller than 5 MB";
        return SH_ELIMIT;
    }
    filetype_kind ft;
    int rc = filetype_check(data, len,
                            FILETYPE_BIT(FILETYPE_PDF) | FILETYPE_BIT(FILETYPE_JPEG) |
                                FILETYPE_BIT(FILETYPE_PNG),
                            "The file must be a PDF, JPEG or PNG", &ft, why);
    if (rc)
        return rc;
    for (int k = 0; k < PORTAL_FILE_KIND_COUNT; k++)
        if (file_kinds[k] == ft)
            *kind = (portal_file_kind)k;
    return SH_OK;
}

void portal_filename_clean(const char *in, portal_file_kind kind, char *out)
{
    filetype_filename_clean(in, file_kinds[kind < PORTAL_FILE_KIND_COUNT ? kind : PORTAL_FILE_PDF],
                            out);
}

/* ---- a second child on one account ------------------------------------------------ */

portal_add_rule portal_add_check(portal_rel invited, const portal_rel *linked, size_t n,
                                 size_t max)
{
    if (invited == PORTAL_YOUNG_PERSON)
        return PORTAL_ADD_YOUNG_PERSON_CODE;
    for (size_t i = 0; i < n; i++)
        if (linked[i] == PORTAL_YOUNG_PERSON)
            return PORTAL_ADD_OWN_ACCOUNT;
    return n >= max ? PORTAL_ADD_FULL : PORTAL_ADD_OK;
}
