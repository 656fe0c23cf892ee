/*
 * demo_plan.c — synthetic EHC plans for the demo area (see the header).
 *
 * The content follows the child's primary need: a need in section B written
 * the way plans describe it, an outcome, and quantified provision, plus a
 * health need and provision for some children, social care for fewer, a
 * direct payment now and then, section K from the journey's advice, and
 * section I naming the child's setting. Versions follow the journey: the
 * draft names only a type of setting (the family has not yet said which
 * school they want), the final plan names the school, and an amended plan
 * changes how often one provision is given.
 */
#include "app/demo_plan.h"

#include <string.h>

#include "app/app_plan.h"
#include "app/plan_json.h"
#include "core/ident.h"
#include "store/store_plan.h"
#include "util/err.h"

#define COUNT_OF(x) (sizeof(x) / sizeof((x)[0]))

typedef struct {
    const char *need, *outcome, *what, *who;
    int times;
    plan_period per;
    int minutes;
} template;

/* By primary need (ident.h sen_type); other needs use the generic row. */
static const template by_need[SEN_TYPE_COUNT] = {
    [SEN_ASD] = {"Finds changes to routine very hard and can become overwhelmed in busy, "
                 "noisy places; understands spoken language best with visual support.",
                 "By the end of the key stage, will use a visual timetable to move between "
                 "lessons without adult prompting.",
                 "Structured teaching of social communication (small group), with a visual "
                 "timetable used in every lesson.",
                 "Teaching assistant trained in autism, overseen by the SENCo", 3,
                 PLAN_PER_WEEK, 30},
    [SEN_SLCN] = {"Has a severe expressive language disorder: speaks in two- to three-word "
                  "phrases and is hard for unfamiliar adults to understand.",
                  "Will use sentences of five or more words to ask for help in class.",
                  "Speech and language therapy: direct sessions and a programme carried out "
                  "by school staff.",
                  "NHS speech and language therapist", 1, PLAN_PER_WEEK, 45},
    [SEN_SEMH] = {"Experiences high anxiety that leads to leaving the classroom; has "
                  "difficulty managing strong feelings.",
                  "Will stay in class for a whole lesson on four days out of five, using an "
                  "agreed calm-down plan.",
                  "Individual emotional literacy support sessions (ELSA).",
                  "Trained emotional literacy support assistant", 1, PLAN_PER_WEEK, 40},
    [SEN_MLD] = {"Working well below age-related expectations in reading, writing and "
                 "mathematics; needs new learning broken into small steps.",
                 "Will read and understand a short age-appropriate text independently.",
                 "Daily precision teaching of reading and number in a group of no more than "
                 "four.",
                 "Teaching assistant, planned by the class teacher", 5, PLAN_PER_WEEK, 20},
    [SEN_SPLD] = {"Has dyslexia: decoding and spelling are well below the level of their "
                  "verbal reasoning.",
                  "Will use assistive technology to write a page of connected text.",
                  "Structured multisensory literacy programme.",
                  "Specialist dyslexia teacher", 2, PLAN_PER_WEEK, 45},
    [SEN_HI] = {"Has a severe bilateral hearing loss and uses hearing aids; misses spoken "
                "information in noisy rooms.",
                "Will follow whole-class teaching using a radio aid, checked by asking "
                "questions.",
                "Visits from a qualified teacher of the deaf; radio aid checked daily.",
                "Qualified teacher of the deaf (sensory support service)", 1, PLAN_PER_MONTH,
                60},
    [SEN_PD] = {"Has cerebral palsy affecting both legs and fine motor skills; tires quickly "
                "when writing.",
                "Will move around the school site independently with a walking frame.",
                "Physiotherapy programme carried out in school.",
                "Teaching assistant trained by the NHS physiotherapist", 3, PLAN_PER_WEEK,
                20},
};

static const template generic = {
    "Has difficulty with attention and working memory; loses track of instructions of more "
    "than one step.",
    "Will complete a three-step task independently using a checklist.",
    "Small-group teaching of working memory strategies.", "Class teacher with the SENCo", 2,
    PLAN_PER_WEEK, 30};

/* A draw in [0, n) from (seed, case, k): the same case always gets the same plan. */
static unsigned pick(uint64_t seed, int64_t case_id, unsigned k, unsigned n)
{
    uint64_t z = seed ^ ((uint64_t)case_id * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)k << 32);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned)((z ^ (z >> 31)) % n);
}

int demo_plan_wanted(int64_t case_id) { return case_id % DEMO_PLAN_EVERY == 0; }

static int put(plan *p, arena *a, plan_item *it)
{
    return plan_put(p, a, it, &it->id);
}

static int text_item(plan *p, arena *a, plan_section s, const char *text, plan_item *out)
{
    plan_item_init(out, s);
    out->text = text;
    return put(p, a, out);
}

static int provision(plan *p, arena *a, plan_section s, const template *t, const plan_item *need,
                     bool until_review)
{
    plan_item it;
    plan_item_init(&it, s);
    it.text = t->what;
    it.who = t->who;
    it.times = t->times;
    it.per = t->per;
    it.minutes = t->minutes;
    it.until_review = until_review;
    it.weeks = until_review ? 0 : 12;
    it.links[0] = (plan_ref){need->section, need->id};
    it.n_links = 1;
    return put(p, a, &it);
}

static int outcome(plan *p, arena *a, const char *text, const plan_item *need)
{
    plan_item it;
    plan_item_init(&it, PLAN_E);
    it.text = text;
    it.links[0] = (plan_ref){need->section, need->id};
    it.n_links = 1;
    return put(p, a, &it);
}

static const char *const views[] = {
    "I like drawing, football and anything about space. I want to be an engineer. I learn "
    "best when someone shows me first.",
    "My family says I am kind and funny. I like animals and want to work with them when I "
    "am older. Loud rooms make it hard for me to think.",
    "I enjoy music and swimming. I would like to have more friends at school and to go to "
    "college near home.",
};

static const template health = {
    "Has epilepsy, controlled by medication; seizures are rare but need a trained adult "
    "nearby.",
    "Will take part safely in every school trip and PE lesson.",
    "Individual health care plan, reviewed yearly, and training for staff in rescue "
    "medication.",
    "Epilepsy specialist nurse", 1, PLAN_PER_TERM, 60};

static const template social = {
    "Needs support to take part in activities outside school; the family needs regular "
    "breaks from caring.",
    "Will attend an after-school club of their choice every week.",
    "Short breaks: an after-school activity with a support worker.",
    "Children with disabilities team (commissioned provider)", 1, PLAN_PER_WEEK, 150};

/* The plan as first drafted (no school named: the family has not chosen). */
static int draft_plan(plan *p, arena *a, int64_t case_id, int primary_need, const event *events,
                      size_t n, uint64_t seed)
{
    plan_init(p);
    const template *t = primary_need >= 0 && primary_need < SEN_TYPE_COUNT &&
                                by_need[primary_need].need
                            ? &by_need[primary_need]
                            : &generic;
    plan_item it, b, c, d;
    int rc = text_item(p, a, PLAN_A, views[pick(seed, case_id, 1, COUNT_OF(views))], &it);
    if (rc == SH_OK)
        rc = text_item(p, a, PLAN_B, t->need, &b);
    if (rc == SH_OK)
        rc = outcome(p, a, t->outcome, &b);
    if (rc == SH_OK)
        rc = provision(p, a, PLAN_F, t, &b, true);
    if (rc == SH_OK && t != &generic)
        rc = provision(p, a, PLAN_F, &generic, &b, false);
    bool has_health = pick(seed, case_id, 2, 3) == 0, has_care = pick(seed, case_id, 3, 6) == 0;
    if (rc == SH_OK && has_health && (rc = text_item(p, a, PLAN_C, health.need, &c)) == SH_OK &&
        (rc = outcome(p, a, health.outcome, &c)) == SH_OK)
        rc = provision(p, a, PLAN_G, &health, &c, true);
    if (rc == SH_OK && has_care && (rc = text_item(p, a, PLAN_D, social.need, &d)) == SH_OK &&
        (rc = outcome(p, a, social.outcome, &d)) == SH_OK)
        rc = provision(p, a, PLAN_H1, &social, &d, true);
    if (rc == SH_OK && has_care && pick(seed, case_id, 4, 2) == 0)
        rc = text_item(p, a, PLAN_J,
                       "A direct payment for the short breaks in section H1, managed by the "
                       "family.",
                       &it);
    plan_advice *adv;
    size_t n_adv;
    if (rc == SH_OK)
        rc = plan_advice_from_events(events, n, a, &adv, &n_adv);
    for (size_t i = 0; rc == SH_OK && i < n_adv && i < PLAN_SECTION_ITEMS_MAX; i++) {
        plan_item_init(&it, PLAN_K);
        it.agency = adv[i].agency;
        it.date = adv[i].date;
        it.text = "Advice received and appended in full; its recommendations are reflected in "
                  "sections B to H.";
        rc = put(p, a, &it);
    }
    p->setting_type = PLAN_SETTING_MAINSTREAM;
    return rc;
}

static int store_version(store *s, const char *la, int64_t case_id, const plan *p,
                         store_plan_kind kind, const event *e, arena *a)
{
    store_plan_version v = {.kind = kind, .issued_on = e->date, .issued_by = "demo",
                            .event_id = e->id};
    int rc = app_plan_document(p, a, &v.document);
    return rc ? rc : store_plan_version_add(s, la, case_id, &v);
}

int demo_plan_write(store *s, const char *la_code, int64_t case_id, int primary_need,
                    const char *setting_urn, const event *events, size_t n, uint64_t seed,
                    arena *a, int *versions)
{
    plan p;
    int rc = draft_plan(&p, a, case_id, primary_need, events, n, seed);
    int k = 0;
    for (size_t i = 0; rc == SH_OK && i < n; i++) {
        const event *e = &events[i];
        store_plan_kind kind;
        switch (e->type) {
        case EV_DRAFT_PLAN_ISSUED: kind = STORE_PLAN_DRAFT; break;
        case EV_FINAL_PLAN_ISSUED: kind = STORE_PLAN_FINAL; break;
        case EV_AMENDMENT_PROPOSED: kind = STORE_PLAN_PROPOSED; break;
        case EV_AMENDED_PLAN_ISSUED: kind = STORE_PLAN_AMENDED; break;
        default: continue;
        }
        if (kind == STORE_PLAN_FINAL && setting_urn[0])
            memcpy(p.setting_urn, setting_urn, strlen(setting_urn) + 1);
        if (kind == STORE_PLAN_PROPOSED) {
            /* the review asks for more of the main provision */
            plan_item more = *plan_find(&p, PLAN_F, 1);
            more.times = more.times < PLAN_TIMES_MAX ? more.times + 1 : more.times;
            rc = plan_put(&p, a, &more, NULL);
        }
        if (rc == SH_OK)
            rc = store_version(s, la_code, case_id, &p, kind, e, a);
        k += rc == SH_OK;
    }
    const char *doc;
    if (rc == SH_OK && k > 0)
        rc = app_plan_document(&p, a, &doc);
    if (rc == SH_OK && k > 0)
        rc = store_plan_draft_put(s, la_code, case_id, doc, 0, "demo");
    if (versions)
        *versions = k;
    return rc;
}
