#include "app/access.h"

#include <string.h>

#include "util/err.h"

static const struct {
    const char *name, *label;
    unsigned caps;    /* bit (1u << access_capability) */
    unsigned advice;  /* health, social care: the advice requests that open a record */
} roles[ROLE_COUNT] = {
#define CAP(c) (1u << (c))
    [ROLE_COORDINATOR] = {"coordinator", "EHC coordinator",
                          CAP(CAN_READ_CASES) | CAP(CAN_WRITE_CASES) | CAP(CAN_SEE_REVIEWS) |
                              CAP(CAN_REVIEW_REPORT) | CAP(CAN_INVITE_FAMILY) |
                              CAP(CAN_HANDLE_ONLINE_REQUESTS) | CAP(CAN_SEE_CASE_FILES),
                          0},
    [ROLE_MANAGER] = {"manager", "SEND manager",
                      CAP(CAN_READ_CASES) | CAP(CAN_WRITE_CASES) | CAP(CAN_SEE_TEAM) |
                          CAP(CAN_SEE_AUDIT) | CAP(CAN_SEE_RETURNS) | CAP(CAN_EXPORT_RETURNS) |
                          CAP(CAN_SEE_PATHWAY_STATS) | CAP(CAN_SEE_REVIEWS) |
                          CAP(CAN_REVIEW_REPORT) | CAP(CAN_SEE_DASHBOARD) |
                          CAP(CAN_SEE_INSPECTIONS) | CAP(CAN_RECORD_INSPECTIONS) |
                          CAP(CAN_COMMENT_PLANS) | CAP(CAN_INVITE_FAMILY) |
                          CAP(CAN_HANDLE_ONLINE_REQUESTS) | CAP(CAN_SEE_CASE_FILES),
                      0},
    [ROLE_HEALTH] = {"health", "Health practitioner",
                     CAP(CAN_READ_CASES) | CAP(CAN_RECORD_REFERRALS) |
                         CAP(CAN_SEE_WAITING_LISTS) | CAP(CAN_SEE_PATHWAY_STATS),
                     1u << AGENCY_HEALTH},
    [ROLE_SOCIAL_CARE] = {"social_care", "Social care practitioner", CAP(CAN_READ_CASES),
                          1u << AGENCY_SOCIAL_CARE},
    [ROLE_SETTING] = {"setting", "School or college SENCo",
                      CAP(CAN_READ_CASES) | CAP(CAN_SEE_REVIEWS) | CAP(CAN_REVIEW_REPORT), 0},
    [ROLE_ADMIN] = {"admin", "Administrator",
                    CAP(CAN_MANAGE_PEOPLE) | CAP(CAN_SEE_AUDIT) | CAP(CAN_SEE_PATHWAY_STATS) |
                        CAP(CAN_CONFIGURE_PATHWAYS),
                    0},
    [ROLE_INSPECTOR] = {"inspector", "Inspector (read-only)",
                        CAP(CAN_READ_CASES) | CAP(CAN_SEE_TEAM) | CAP(CAN_SEE_AUDIT) |
                            CAP(CAN_SEE_RETURNS) | CAP(CAN_SEE_PATHWAY_STATS) |
                            CAP(CAN_SEE_REVIEWS) | CAP(CAN_SEE_DASHBOARD) |
                            CAP(CAN_SEE_INSPECTIONS) | CAP(CAN_SEE_CASE_FILES),
                        0},
    [ROLE_PARENT] = {"parent", "Parent, carer or young person", CAP(CAN_USE_PORTAL), 0},
    [ROLE_FORUM] = {"forum", "Parent carer forum member",
                    CAP(CAN_SEE_INSPECTIONS) | CAP(CAN_COMMENT_PLANS), 0},
    [ROLE_SYSTEM] = {"system", "System",
                     CAP(CAN_READ_CASES) | CAP(CAN_WRITE_CASES) | CAP(CAN_SEE_TEAM) |
                         CAP(CAN_SEE_AUDIT) | CAP(CAN_MANAGE_PEOPLE) | CAP(CAN_SEE_RETURNS) |
                         CAP(CAN_EXPORT_RETURNS) | CAP(CAN_RECORD_REFERRALS) |
                         CAP(CAN_SEE_WAITING_LISTS) | CAP(CAN_SEE_PATHWAY_STATS) |
                         CAP(CAN_CONFIGURE_PATHWAYS) | CAP(CAN_SEE_REVIEWS) |
                         CAP(CAN_REVIEW_REPORT) | CAP(CAN_SEE_DASHBOARD) |
                         CAP(CAN_SEE_INSPECTIONS) | CAP(CAN_RECORD_INSPECTIONS) |
                         CAP(CAN_COMMENT_PLANS) | CAP(CAN_INVITE_FAMILY) |
                         CAP(CAN_HANDLE_ONLINE_REQUESTS) | CAP(CAN_SEE_CASE_FILES),
                     0},
#undef CAP
};

const char *access_role_name(app_role r)
{
    return r >= 0 && r < ROLE_COUNT ? roles[r].name : "unknown";
}

const char *access_role_label(app_role r)
{
    return r >= 0 && r < ROLE_COUNT ? roles[r].label : "Unknown";
}

int access_role_parse(const char *s)
{
    for (int r = 0; s && r < ROLE_COUNT; r++)
        if (strcmp(s, roles[r].name) == 0)
            return r;
    return -1;
}

static bool valid_role(const app_identity *who)
{
    return who && who->role >= 0 && who->role < ROLE_COUNT;
}

bool access_can(const app_identity *who, access_capability what)
{
    return valid_role(who) && (roles[who->role].caps & (1u << what)) != 0;
}

bool access_sees_whole_area(const app_identity *who)
{
    return access_can(who, CAN_READ_CASES) && who->role != ROLE_SETTING &&
           !roles[who->role].advice;
}

int access_scope_caseload(const app_identity *who, store_case_query *q)
{
    if (!access_can(who, CAN_READ_CASES))
        return SH_EDENIED;
    q->la_code = who->la_code;
    if (who->role == ROLE_SETTING)
        q->setting_urn = who->setting_urn;
    if (roles[who->role].advice)
        q->open_advice = roles[who->role].advice;
    return SH_OK;
}

bool access_case_visible(const app_identity *who, const store_case *c,
                         const store_child *child)
{
    if (!access_can(who, CAN_READ_CASES) || strcmp(c->la_code, who->la_code) != 0)
        return false;
    if (who->role == ROLE_SETTING)
        return who->setting_urn[0] && strcmp(child->setting_urn, who->setting_urn) == 0;
    if (roles[who->role].advice)
        return (c->summary.open_advice & roles[who->role].advice) != 0;
    return true;
}

bool access_portal_child_visible(const app_identity *who, bool linked)
{
    return access_can(who, CAN_USE_PORTAL) && linked;
}

int access_advice_scope(const app_identity *who, event_agency *agency,
                        const char **setting_urn)
{
    *agency = AGENCY_NONE;
    *setting_urn = NULL;
    if (!access_can(who, CAN_READ_CASES))
        return SH_EDENIED;
    if (who->role == ROLE_SETTING) {
        if (!who->setting_urn[0])
            return SH_EDENIED;
        *agency = AGENCY_EDUCATION;
        *setting_urn = who->setting_urn;
    } else if (roles[who->role].advice) {
        for (int g = 0; g < AGENCY_COUNT; g++)
            if (roles[who->role].advice & (1u << g))
                *agency = (event_agency)g;
    }
    return SH_OK;
}

bool access_advice_visible(const app_identity *who, const char *la_code, event_agency agency,
                           const char *setting_urn)
{
    event_agency scope;
    const char *urn;
    if (access_advice_scope(who, &scope, &urn) != SH_OK || strcmp(la_code, who->la_code) != 0)
        return false;
    if (scope != AGENCY_NONE && scope != agency)
        return false;
    return !urn || (setting_urn && strcmp(setting_urn, urn) == 0);
}

bool access_advice_may_answer(const app_identity *who, const char *la_code,
                              event_agency agency, const char *setting_urn)
{
    if (!access_advice_visible(who, la_code, agency, setting_urn))
        return false;
    return access_can(who, CAN_WRITE_CASES) || !access_sees_whole_area(who);
}
