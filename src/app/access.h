/*
 * access.h — who may see and do what: the roles and the one place where
 * every request's access to a child's record is decided.
 *
 * Every page and endpoint asks access_* before it reads or writes a record,
 * and records the answer in the audit log (app/audit.h). A record outside the
 * caller's reach is reported as "not found" to the edge after the denial has
 * been audited, so its existence does not leak.
 *
 * Rules (issue 3):
 *   coordinator  the area's cases; may write; the review calendar (issue 4);
 *                the area's requests from families made online (issue 7); a
 *                child's case file (issue 9)
 *   manager      the area's cases, the team view, the audit log, statutory returns
 *                (view and download), the pathway dashboards and the performance
 *                dashboard (also the partnership board's view), area SEND
 *                inspections (records them and their findings), the inspection
 *                evidence pack's samples and case files, the requests from
 *                families made online; may write
 *   admin        people (accounts), the audit log, the configuration of the
 *                area's health pathways and their dashboards; no child records
 *   inspector    the area's cases, read-only, the audit log, the SEN2 return's
 *                validation report and figures (not the files sent to the DfE),
 *                the pathway dashboards (counts only) and the performance
 *                dashboard (with the lists of children behind its figures, as
 *                inspectors may already read every case of the area), and the
 *                area's inspections and findings (read-only), samples of
 *                children for deep dives and their case files
 *   health       children with an open advice request to health, read-only;
 *                records referrals and sees every pathway's waiting list and
 *                dashboard in the area (issue 5)
 *   social_care  children with an open advice request to social care, read-only
 *   setting      children whose current setting is the person's school or
 *                college, read-only except the annual review report (issue 4)
 *   parent       nothing in the staff application; in the family portal (issue
 *                7) only the children their account is linked to (an invitation
 *                redeemed); coordinators and managers make invitations
 *   forum        a member of the parent carer forum (co-production, issue 9):
 *                the area's inspections, improvement plans and their progress,
 *                and comments on the plan's actions; no child, no person-level
 *                list, no dashboard, nothing else (not CAN_READ_CASES)
 *   system       the command line and demo: everything in its area
 */
#ifndef SH_APP_ACCESS_H
#define SH_APP_ACCESS_H

#include <stdbool.h>

#include "app/app.h"
#include "store/store.h"

typedef enum {
    ROLE_COORDINATOR, ROLE_MANAGER, ROLE_HEALTH, ROLE_SOCIAL_CARE, ROLE_SETTING,
    ROLE_ADMIN, ROLE_INSPECTOR, ROLE_PARENT, ROLE_FORUM, ROLE_SYSTEM, ROLE_COUNT
} app_role;

const char *access_role_name(app_role r);   /* wire name: "social_care" */
const char *access_role_label(app_role r);  /* "Social care practitioner" */
int access_role_parse(const char *s);       /* -1 if unknown */

/* What a person may do, independent of any one record. */
typedef enum {
    CAN_READ_CASES,     /* see records (within their reach) */
    CAN_WRITE_CASES,    /* record events, open cases, add children */
    CAN_SEE_TEAM,       /* the team view */
    CAN_SEE_AUDIT,      /* the audit log */
    CAN_MANAGE_PEOPLE,  /* add, disable, reset accounts */
    CAN_SEE_RETURNS,    /* statutory returns (SEN2): validation report and figures */
    CAN_EXPORT_RETURNS, /* download a return to send to the DfE */
    /* Health waiting lists (issue 5). There is no separate "health manager"
     * role: roles are a CHECK-constrained column of the users table (002), and
     * a role or flag there is a rebuild of that table; so every health
     * account holds the health service's capabilities (record, lists, the
     * pathway dashboard, the CSV upload), and configuring a pathway (its
     * provider, standard and capacity) belongs to the area's administrators. */
    CAN_RECORD_REFERRALS,  /* record and import referrals and their steps */
    CAN_SEE_WAITING_LISTS, /* the children on every pathway's list in the area */
    CAN_SEE_PATHWAY_STATS, /* wait bands, percentiles, trend, forecast: no names */
    CAN_CONFIGURE_PATHWAYS,/* provider, standard and capacity of the area's pathways */
    CAN_SEE_REVIEWS,    /* the review calendar, term lists and phase transfers
                           (a setting: its own pupils only) */
    CAN_REVIEW_REPORT,  /* submit the setting's annual review report (a SENCo for
                           their own pupils; the council's writers for any) */
    CAN_SEE_DASHBOARD,  /* the area's performance figures and the lists behind them */
    CAN_SEE_INSPECTIONS,    /* area SEND inspections, their findings and follow-up dates */
    CAN_RECORD_INSPECTIONS, /* record an inspection and its findings (issue 9) */
    CAN_COMMENT_PLANS,  /* comment on an improvement plan's actions (the forum; the
                           managers who reply) */
    CAN_INVITE_FAMILY,  /* invite a parent, carer or young person to the portal */
    CAN_USE_PORTAL,     /* the family portal: their own linked children only */
    CAN_HANDLE_ONLINE_REQUESTS, /* the area's requests for an assessment made online by
                                   families: read them, start a case from one, close one */
    /* A child's whole record as one printable case file (issue 9: the deep
     * dive): people who may already open every record of their area
     * (coordinators, managers, inspectors). Health, social care and
     * settings see a child only through their own part of the record, and
     * the case file holds every part (all advice, the family's messages),
     * so it is not theirs. */
    CAN_SEE_CASE_FILES,
    CAN_COUNT
} access_capability;

bool access_can(const app_identity *who, access_capability what);

/* True for people who may see every child of their area (coordinators,
 * managers, inspectors, the system): they may search children by name and
 * open any record. Health, social care and settings reach children only
 * through the cases in their scope. */
bool access_sees_whole_area(const app_identity *who);

/* Narrows a caseload query to what the person may see (sets setting_urn for
 * a setting, open_advice for health and social care). SH_EDENIED for roles
 * that see no records at all. */
int access_scope_caseload(const app_identity *who, store_case_query *q);

/* May this person see this case of this child? (The case's summary carries
 * its open advice requests; the child its setting.) */
bool access_case_visible(const app_identity *who, const store_case *c,
                         const store_child *child);

/* May this family account see this child? `linked`: the store holds a link
 * from the account to the child (an invitation it redeemed). Staff never see
 * a child through the portal: they have the record. */
bool access_portal_child_visible(const app_identity *who, bool linked);

/* ---- advice requests (app/advice.c) ---------------------------------------
 * Area-wide readers see every request of their area. Health and social care
 * see the requests made to their service, a setting's staff the requests to
 * education addressed to their setting (open or answered: they may read
 * back what they sent). Answering: the service asked, or a person who may
 * write (a coordinator recording advice that came by post or e-mail, as
 * educational psychology and other services without accounts send it). */

/* What a person's list of requests is narrowed to: *agency (AGENCY_NONE for
 * all) and *setting_urn (NULL for any). SH_EDENIED for roles that see no
 * advice requests. */
int access_advice_scope(const app_identity *who, event_agency *agency,
                        const char **setting_urn);
/* May this person see a request to `agency` (for education, addressed to
 * `setting_urn`, "" if none) of area la_code? */
bool access_advice_visible(const app_identity *who, const char *la_code, event_agency agency,
                           const char *setting_urn);
/* May this person give (or record) the advice on such a request? */
bool access_advice_may_answer(const app_identity *who, const char *la_code,
                              event_agency agency, const char *setting_urn);

#endif
