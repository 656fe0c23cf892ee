/*
 * plan.c — an EHC plan's sections, links, checks and comparison (see the
 * header). The section table is the one place a section's name, title and
 * kind are written down.
 */
#include "core/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

static const struct {
    const char *name;
    const char *title;
    plan_kind kind;
} sections[PLAN_SECTION_COUNT] = {
    [PLAN_A] = {"A", "Views, interests and aspirations", PLAN_KIND_TEXT},
    [PLAN_B] = {"B", "Special educational needs", PLAN_KIND_NEED},
    [PLAN_C] = {"C", "Health needs related to special educational needs", PLAN_KIND_NEED},
    [PLAN_D] = {"D", "Social care needs related to special educational needs or a disability",
                PLAN_KIND_NEED},
    [PLAN_E] = {"E", "Outcomes", PLAN_KIND_OUTCOME},
    [PLAN_F] = {"F", "Special educational provision", PLAN_KIND_PROVISION},
    [PLAN_G] = {"G", "Health provision", PLAN_KIND_PROVISION},
    [PLAN_H1] = {"H1", "Social care provision under section 2 of the Chronically Sick and "
                       "Disabled Persons Act 1970",
                 PLAN_KIND_PROVISION},
    [PLAN_H2] = {"H2", "Other social care provision", PLAN_KIND_PROVISION},
    [PLAN_I] = {"I", "Placement", PLAN_KIND_SETTING},
    [PLAN_J] = {"J", "Personal budget and direct payments", PLAN_KIND_TEXT},
    [PLAN_K] = {"K", "Advice and information", PLAN_KIND_ADVICE},
};

static const char *const period_names[PLAN_PER_COUNT] = {"day", "week", "month", "term",
                                                         "year"};
static const char *const period_labels[PLAN_PER_COUNT] = {"a day", "a week", "a month",
                                                          "a term", "a year"};

static const struct {
    const char *name, *label;
} setting_types[PLAN_SETTING_COUNT] = {
    [PLAN_SETTING_MAINSTREAM] = {"mainstream", "Mainstream school"},
    [PLAN_SETTING_RESOURCED] = {"resourced", "Mainstream school with resourced provision or "
                                             "a SEN unit"},
    [PLAN_SETTING_SPECIAL] = {"special", "Maintained special school or special academy"},
    [PLAN_SETTING_INDEPENDENT_SPECIAL] = {"independent_special",
                                          "Independent or non-maintained special school"},
    [PLAN_SETTING_EARLY_YEARS] = {"early_years", "Early years setting or maintained nursery"},
    [PLAN_SETTING_POST16] = {"post16", "Post-16 institution (college, sixth form)"},
    [PLAN_SETTING_ALTERNATIVE] = {"alternative", "Alternative provision"},
    [PLAN_SETTING_OTHERWISE] = {"otherwise", "Education otherwise than at a school or "
                                             "institution (section 61)"},
};

/* ---- names ------------------------------------------------------------------ */

const char *plan_section_name(plan_section s)
{
    return (unsigned)s < PLAN_SECTION_COUNT ? sections[s].name : "?";
}

int plan_section_parse(const char *s, size_t len)
{
    for (int i = 0; i < PLAN_SECTION_COUNT; i++)
        if (strlen(sections[i].name) == len && memcmp(sections[i].name, s, len) == 0)
            return i;
    return -1;
}

const char *plan_section_title(plan_section s)
{
    return (unsigned)s < PLAN_SECTION_COUNT ? sections[s].title : "";
}

plan_kind plan_section_kind(plan_section s)
{
    return (unsigned)s < PLAN_SECTION_COUNT ? sections[s].kind : PLAN_KIND_TEXT;
}

bool plan_link_allowed(plan_section prov, plan_section need)
{
    switch (prov) {
    case PLAN_F:
        return need == PLAN_B || need == PLAN_C || need == PLAN_D;
    case PLAN_G:
        return need == PLAN_B || need == PLAN_C;
    case PLAN_H1:
    case PLAN_H2:
        return need == PLAN_B || need == PLAN_D;
    case PLAN_E: /* an outcome may be for any need */
        return plan_section_kind(need) == PLAN_KIND_NEED;
    default:
        return false;
    }
}

static int parse_name(const char *const *names, int count, const char *s, size_t len)
{
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

const char *plan_period_name(plan_period p)
{
    return (unsigned)p < PLAN_PER_COUNT ? period_names[p] : "";
}

plan_period plan_period_parse(const char *s, size_t len)
{
    return (plan_period)parse_name(period_names, PLAN_PER_COUNT, s, len);
}

const char *plan_period_label(plan_period p)
{
    return (unsigned)p < PLAN_PER_COUNT ? period_labels[p] : "";
}

const char *plan_setting_type_name(plan_setting_type t)
{
    return (unsigned)t < PLAN_SETTING_COUNT ? setting_types[t].name : "";
}

plan_setting_type plan_setting_type_parse(const char *s, size_t len)
{
    for (int i = 0; i < PLAN_SETTING_COUNT; i++)
        if (strlen(setting_types[i].name) == len && memcmp(setting_types[i].name, s, len) == 0)
            return (plan_setting_type)i;
    return PLAN_SETTING_NONE;
}

const char *plan_setting_type_label(plan_setting_type t)
{
    return (unsigned)t < PLAN_SETTING_COUNT ? setting_types[t].label : "";
}

const char *plan_ref_label(plan_ref r, char *out, size_t n)
{
    /* Written by hand, not with snprintf: a plan page and every check label
     * each item several times. */
    const char *name = plan_section_name(r.section);
    char tmp[PLAN_LABEL_MAX + 8];
    size_t k = 0;
    for (; name[k]; k++)
        tmp[k] = name[k];
    if (k > 1) /* H1 and H2 end in a digit: a dot keeps "H1.3" from reading as H13 */
        tmp[k++] = '.';
    int id = r.id < 0 ? 0 : r.id > 9999 ? 9999 : r.id;
    char digits[4];
    size_t d = 0;
    do {
        digits[d++] = (char)('0' + id % 10);
        id /= 10;
    } while (id);
    while (d)
        tmp[k++] = digits[--d];
    tmp[k] = '\0';
    if (n) {
        size_t m = k < n - 1 ? k : n - 1;
        memcpy(out, tmp, m);
        out[m] = '\0';
    }
    return out;
}

int plan_ref_parse(const char *s, size_t len, plan_ref *out)
{
    /* "H1.3": a two-character name and a dot; "B2": one letter. */
    size_t name = len > 2 && s[0] == 'H' && s[2] == '.' ? 2 : 1;
    int sec = len > name ? plan_section_parse(s, name) : -1;
    if (sec < 0 || sec == PLAN_I)
        return SH_EINVAL;
    size_t i = name + (name == 2);
    if (i >= len || len - i > 3 || s[i] == '0')
        return SH_EINVAL;
    int id = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return SH_EINVAL;
        id = id * 10 + (s[i] - '0');
    }
    out->section = (plan_section)sec;
    out->id = id;
    return SH_OK;
}

/* ---- items ---------------------------------------------------------------- */

void plan_init(plan *p)
{
    memset(p, 0, sizeof *p);
    p->setting_type = PLAN_SETTING_NONE;
}

void plan_item_init(plan_item *it, plan_section section)
{
    memset(it, 0, sizeof *it);
    it->section = section;
    it->text = "";
    it->who = "";
    it->per = PLAN_PER_NONE;
    it->agency = AGENCY_NONE;
    it->date = DATE_NONE;
}

static int copy_text(arena *a, const char **s)
{
    if (!(*s)[0]) {
        *s = "";
        return SH_OK;
    }
    *s = arena_strdup(a, *s);
    return *s ? SH_OK : SH_ENOMEM;
}

int plan_copy(const plan *src, arena *a, plan *dst)
{
    *dst = *src;
    dst->items = arena_alloc(a, (src->n_items ? src->n_items : 1) * sizeof *dst->items);
    if (!dst->items)
        return SH_ENOMEM;
    for (size_t i = 0; i < src->n_items; i++) {
        dst->items[i] = src->items[i];
        if (copy_text(a, &dst->items[i].text) || copy_text(a, &dst->items[i].who))
            return SH_ENOMEM;
    }
    return SH_OK;
}

static int ref_cmp(plan_section s1, int id1, plan_section s2, int id2)
{
    if (s1 != s2)
        return s1 < s2 ? -1 : 1;
    return id1 < id2 ? -1 : id1 > id2;
}

const plan_item *plan_find(const plan *p, plan_section s, int id)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].section == s && p->items[i].id == id)
            return &p->items[i];
    return NULL;
}

int plan_next_id(const plan *p, plan_section s)
{
    int max = 0;
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].section == s && p->items[i].id > max)
            max = p->items[i].id;
    return max + 1;
}

size_t plan_section_count(const plan *p, plan_section s)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_items; i++)
        n += p->items[i].section == s;
    return n;
}

int plan_put(plan *p, arena *a, const plan_item *it, int *id_out)
{
    if ((unsigned)it->section >= PLAN_SECTION_COUNT || it->section == PLAN_I)
        return SH_EINVAL;
    plan_item copy = *it;
    if (copy.id == 0)
        copy.id = plan_next_id(p, copy.section);
    if (copy.id > PLAN_ID_MAX)
        return SH_ELIMIT;
    if (copy.id < 0)
        return SH_EINVAL;
    bool replace = plan_find(p, copy.section, copy.id) != NULL;
    if (!replace && (plan_section_count(p, copy.section) >= PLAN_SECTION_ITEMS_MAX ||
                     p->n_items >= PLAN_ITEMS_MAX))
        return SH_ELIMIT;
    size_t n = p->n_items + (replace ? 0 : 1);
    plan_item *items = arena_alloc(a, n * sizeof *items);
    if (!items)
        return SH_ENOMEM;
    size_t k = 0;
    bool placed = false;
    for (size_t i = 0; i < p->n_items; i++) {
        const plan_item *cur = &p->items[i];
        int c = ref_cmp(cur->section, cur->id, copy.section, copy.id);
        if (!placed && c >= 0) {
            items[k++] = copy;
            placed = true;
        }
        if (c != 0)
            items[k++] = *cur;
    }
    if (!placed)
        items[k++] = copy;
    p->items = items;
    p->n_items = k;
    if (id_out)
        *id_out = copy.id;
    return SH_OK;
}

int plan_remove(plan *p, arena *a, plan_section s, int id)
{
    if (!plan_find(p, s, id))
        return SH_ENOTFOUND;
    plan_item *items = arena_alloc(a, (p->n_items ? p->n_items : 1) * sizeof *items);
    if (!items)
        return SH_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        if (p->items[i].section == s && p->items[i].id == id)
            continue;
        plan_item it = p->items[i];
        size_t m = 0;
        for (size_t j = 0; j < it.n_links; j++)
            if (!(it.links[j].section == s && it.links[j].id == id))
                it.links[m++] = it.links[j];
        it.n_links = m;
        items[k++] = it;
    }
    p->items = items;
    p->n_items = k;
    return SH_OK;
}

bool plan_quantified(const plan_item *it)
{
    return it->text[0] && it->who[0] && it->times > 0 && it->per != PLAN_PER_NONE &&
           it->minutes > 0 && (it->weeks > 0 || it->until_review);
}

const char *plan_quantity_text(const plan_item *it, arena *a)
{
    char out[160];
    int k = 0;
    out[0] = '\0';
    if (it->times > 0 && it->per != PLAN_PER_NONE) {
        if (it->times == 1)
            k += snprintf(out + k, sizeof out - (size_t)k, "once %s", plan_period_label(it->per));
        else
            k += snprintf(out + k, sizeof out - (size_t)k, "%d times %s", it->times,
                          plan_period_label(it->per));
    }
    if (it->minutes > 0)
        k += snprintf(out + k, sizeof out - (size_t)k, "%s%d minutes%s", k ? ", " : "",
                      it->minutes, k ? " each time" : "");
    if (it->weeks > 0)
        k += snprintf(out + k, sizeof out - (size_t)k, "%sfor %d week%s", k ? ", " : "",
                      it->weeks, it->weeks == 1 ? "" : "s");
    else if (it->until_review)
        snprintf(out + k, sizeof out - (size_t)k, "%suntil the plan is reviewed", k ? ", " : "");
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return arena_strdup(a, out);
}

/* ---- checks ------------------------------------------------------------------ */

typedef struct {
    arena *a;
    plan_issue *v;
    size_t n, cap;
    int rc;
} findings;

static void add(findings *f, plan_severity sev, plan_finding code, plan_section s, int id,
                const char *field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void add(findings *f, plan_severity sev, plan_finding code, plan_section s, int id,
                const char *field, const char *fmt, ...)
{
    if (f->rc)
        return;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        plan_issue *v = arena_alloc(f->a, cap * sizeof *v);
        if (!v) {
            f->rc = SH_ENOMEM;
            return;
        }
        if (f->n)
            memcpy(v, f->v, f->n * sizeof *v);
        f->v = v;
        f->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(f->a, fmt, ap);
    va_end(ap);
    if (!msg) {
        f->rc = SH_ENOMEM;
        return;
    }
    f->v[f->n++] = (plan_issue){sev, code, s, id, field, msg};
}

/* A kind's word for its items, for messages: "Need B2", "Provision F3". */
static const char *item_word(plan_section s)
{
    switch (plan_section_kind(s)) {
    case PLAN_KIND_NEED: return "Need";
    case PLAN_KIND_OUTCOME: return "Outcome";
    case PLAN_KIND_PROVISION: return "Provision";
    case PLAN_KIND_ADVICE: return "Advice";
    default: return "Item";
    }
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
            return true;
    return false;
}

static void check_text(findings *f, const plan_item *it, const char *label)
{
    size_t len = strlen(it->text);
    if (len == 0)
        add(f, PLAN_ERROR, PLAN_E_TEXT, it->section, it->id, "text", "%s %s has no text.",
            item_word(it->section), label);
    else if (len > PLAN_TEXT_MAX)
        add(f, PLAN_ERROR, PLAN_E_TEXT, it->section, it->id, "text",
            "%s %s is longer than %d characters.", item_word(it->section), label,
            PLAN_TEXT_MAX);
    else if (has_control(it->text))
        add(f, PLAN_ERROR, PLAN_E_TEXT, it->section, it->id, "text",
            "%s %s contains control characters.", item_word(it->section), label);
}

/* Which items exist and what links to them, indexed by section and id, so
 * the checks are linear in the plan's size (a page checks every time it
 * is shown). */
enum { HAS_ITEM = 1, HAS_PROVISION = 2, HAS_OUTCOME = 4 };

/* The map's byte for an item; ids out of range (an error finding of their
 * own) share byte 0 of section A, which no item can have. */
static unsigned char *mark(unsigned char *map, plan_section s, int id)
{
    return (unsigned)s < PLAN_SECTION_COUNT && id >= 1 && id <= PLAN_ID_MAX
               ? &map[(size_t)s * (PLAN_ID_MAX + 1) + (size_t)id]
               : &map[0];
}

static void check_links(findings *f, unsigned char *map, const plan_item *it, const char *label)
{
    for (size_t j = 0; j < it->n_links; j++) {
        char to[PLAN_LABEL_MAX];
        plan_ref_label(it->links[j], to, sizeof to);
        plan_section need = it->links[j].section;
        if (!(*mark(map, need, it->links[j].id) & HAS_ITEM) || it->links[j].id < 1 ||
            plan_section_kind(need) != PLAN_KIND_NEED)
            add(f, PLAN_ERROR, PLAN_E_LINK, it->section, it->id, "links",
                "%s %s is linked to %s, which is not a need in this plan.",
                item_word(it->section), label, to);
        else if (!plan_link_allowed(it->section, need))
            add(f, PLAN_ERROR, PLAN_E_LINK, it->section, it->id, "links",
                "Section %s provision cannot meet need %s: link it to a need in section %s.",
                plan_section_name(it->section), to, it->section == PLAN_G ? "B or C" : "B or D");
        for (size_t k = 0; k < j; k++)
            if (it->links[k].section == it->links[j].section &&
                it->links[k].id == it->links[j].id)
                add(f, PLAN_ERROR, PLAN_E_LINK, it->section, it->id, "links",
                    "%s %s is linked to %s twice.", item_word(it->section), label, to);
    }
}

static void check_quantities(findings *f, const plan_item *it, const char *label)
{
    size_t who = strlen(it->who);
    if (who > PLAN_WHO_MAX || has_control(it->who))
        add(f, PLAN_ERROR, PLAN_E_WHO, it->section, it->id, "who",
            "Who delivers provision %s must be %d characters or fewer, on one line.", label,
            PLAN_WHO_MAX);
    if (it->times < 0 || it->times > PLAN_TIMES_MAX)
        add(f, PLAN_ERROR, PLAN_E_QUANTITY, it->section, it->id, "times",
            "How often provision %s happens must be between 1 and %d times.", label,
            PLAN_TIMES_MAX);
    else if ((it->times > 0) != (it->per != PLAN_PER_NONE))
        add(f, PLAN_ERROR, PLAN_E_QUANTITY, it->section, it->id,
            it->times > 0 ? "per" : "times",
            "How often provision %s happens needs both a number of times and a period.",
            label);
    if (it->minutes < 0 || it->minutes > PLAN_MINUTES_MAX)
        add(f, PLAN_ERROR, PLAN_E_QUANTITY, it->section, it->id, "minutes",
            "Each session of provision %s must be between 1 and %d minutes.", label,
            PLAN_MINUTES_MAX);
    if (it->weeks < 0 || it->weeks > PLAN_WEEKS_MAX)
        add(f, PLAN_ERROR, PLAN_E_QUANTITY, it->section, it->id, "weeks",
            "Provision %s must run for between 1 and %d weeks, or until the plan is reviewed.",
            label, PLAN_WEEKS_MAX);
    else if (it->weeks > 0 && it->until_review)
        add(f, PLAN_ERROR, PLAN_E_QUANTITY, it->section, it->id, "weeks",
            "Provision %s runs either for a number of weeks or until the plan is reviewed, "
            "not both.",
            label);
}

static void check_item(findings *f, const plan *p, unsigned char *map, const plan_item *it,
                       size_t index)
{
    char label[PLAN_LABEL_MAX];
    plan_ref_label((plan_ref){it->section, it->id}, label, sizeof label);
    if (it->id < 1 || it->id > PLAN_ID_MAX)
        add(f, PLAN_ERROR, PLAN_E_ITEM, it->section, it->id, NULL,
            "An item of section %s has an id outside 1 to %d.", plan_section_name(it->section),
            PLAN_ID_MAX);
    if (index > 0 && ref_cmp(p->items[index - 1].section, p->items[index - 1].id, it->section,
                             it->id) >= 0)
        add(f, PLAN_ERROR, PLAN_E_ITEM, it->section, it->id, NULL,
            "Item %s appears twice or out of order.", label);
    plan_kind kind = plan_section_kind(it->section);
    check_text(f, it, label);
    if (kind == PLAN_KIND_OUTCOME || kind == PLAN_KIND_PROVISION)
        check_links(f, map, it, label);
    else if (it->n_links)
        add(f, PLAN_ERROR, PLAN_E_LINK, it->section, it->id, "links",
            "Only outcomes and provision are linked to needs (%s is not).", label);
    if (kind == PLAN_KIND_PROVISION)
        check_quantities(f, it, label);
    if (kind == PLAN_KIND_ADVICE && (it->agency == AGENCY_NONE || it->date == DATE_NONE))
        add(f, PLAN_ERROR, PLAN_E_ADVICE, it->section, it->id,
            it->agency == AGENCY_NONE ? "agency" : "date",
            "Advice %s needs the agency that gave it and the date it was received.", label);
}

static void warn_item(findings *f, unsigned char *map, const plan_item *it)
{
    char label[PLAN_LABEL_MAX];
    plan_ref_label((plan_ref){it->section, it->id}, label, sizeof label);
    switch (plan_section_kind(it->section)) {
    case PLAN_KIND_NEED:
        if (!(*mark(map, it->section, it->id) & HAS_PROVISION))
            add(f, PLAN_WARNING, PLAN_W_NEED_NO_PROVISION, it->section, it->id, "links",
                "Need %s has no provision: link provision in section %s to it.", label,
                it->section == PLAN_B   ? "F"
                : it->section == PLAN_C ? "F or G"
                                        : "F, H1 or H2");
        if (!(*mark(map, it->section, it->id) & HAS_OUTCOME))
            add(f, PLAN_WARNING, PLAN_W_NEED_NO_OUTCOME, it->section, it->id, "links",
                "Need %s has no outcome in section E.", label);
        break;
    case PLAN_KIND_OUTCOME:
        if (it->n_links == 0)
            add(f, PLAN_WARNING, PLAN_W_OUTCOME_NO_NEED, it->section, it->id, "links",
                "Outcome %s is not linked to any need.", label);
        break;
    case PLAN_KIND_PROVISION:
        if (it->n_links == 0)
            add(f, PLAN_WARNING, PLAN_W_PROVISION_NO_NEED, it->section, it->id, "links",
                "Provision %s does not meet any need: link it to a need.", label);
        if (!plan_quantified(it))
            add(f, PLAN_WARNING, PLAN_W_UNQUANTIFIED, it->section, it->id,
                !it->who[0] ? "who" : it->times <= 0 ? "times" : it->minutes <= 0 ? "minutes"
                                                                                  : "weeks",
                "Provision %s is not specific and quantified: say who delivers it, how often, "
                "how long each time and for how long.",
                label);
        break;
    default:
        break;
    }
}

int plan_check(const plan *p, arena *a, plan_issue **out, size_t *n)
{
    findings f = {.a = a};
    unsigned char *map = arena_calloc(a, (size_t)PLAN_SECTION_COUNT * (PLAN_ID_MAX + 1), 1);
    if (!map)
        return SH_ENOMEM;
    size_t per_section[PLAN_SECTION_COUNT] = {0};
    for (size_t i = 0; i < p->n_items; i++) {
        const plan_item *it = &p->items[i];
        *mark(map, it->section, it->id) |= HAS_ITEM;
        if ((unsigned)it->section < PLAN_SECTION_COUNT)
            per_section[it->section]++;
        unsigned char by = plan_section_kind(it->section) == PLAN_KIND_PROVISION ? HAS_PROVISION
                           : plan_section_kind(it->section) == PLAN_KIND_OUTCOME ? HAS_OUTCOME
                                                                                 : 0;
        for (size_t j = 0; by && j < it->n_links; j++)
            *mark(map, it->links[j].section, it->links[j].id) |= by;
    }
    if (p->n_items > PLAN_ITEMS_MAX)
        add(&f, PLAN_ERROR, PLAN_E_ITEM, PLAN_A, 0, NULL, "A plan holds at most %d items.",
            PLAN_ITEMS_MAX);
    for (int s = 0; s < PLAN_SECTION_COUNT; s++)
        if (per_section[s] > PLAN_SECTION_ITEMS_MAX)
            add(&f, PLAN_ERROR, PLAN_E_ITEM, (plan_section)s, 0, NULL,
                "Section %s holds at most %d items.", plan_section_name((plan_section)s),
                PLAN_SECTION_ITEMS_MAX);
    for (size_t i = 0; i < p->n_items; i++) {
        if ((unsigned)p->items[i].section >= PLAN_SECTION_COUNT ||
            p->items[i].section == PLAN_I) {
            add(&f, PLAN_ERROR, PLAN_E_ITEM, PLAN_I, 0, NULL,
                "Section I names a setting; it has no items.");
            continue;
        }
        check_item(&f, p, map, &p->items[i], i);
    }
    const char *why = NULL;
    if (p->setting_urn[0] && ident_urn_validate(p->setting_urn, strlen(p->setting_urn), &why))
        add(&f, PLAN_ERROR, PLAN_E_SETTING, PLAN_I, 0, "urn", "The setting's URN is not valid: %s.",
            why);
    if ((int)p->setting_type < PLAN_SETTING_NONE || p->setting_type >= PLAN_SETTING_COUNT)
        add(&f, PLAN_ERROR, PLAN_E_SETTING, PLAN_I, 0, "type", "The setting type is not known.");
    for (size_t i = 0; i < p->n_items; i++)
        if ((unsigned)p->items[i].section < PLAN_SECTION_COUNT && p->items[i].section != PLAN_I)
            warn_item(&f, map, &p->items[i]);
    if (!p->setting_urn[0] && p->setting_type == PLAN_SETTING_NONE)
        add(&f, PLAN_WARNING, PLAN_W_NO_SETTING, PLAN_I, 0, "urn",
            "Section I does not name a setting or a type of setting.");
    if (f.rc)
        return f.rc;
    *out = f.v;
    *n = f.n;
    return SH_OK;
}

size_t plan_issue_count(const plan_issue *v, size_t n, plan_severity s)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].severity == s;
    return k;
}

/* ---- comparison ------------------------------------------------------------------ */

bool plan_item_equal(const plan_item *x, const plan_item *y)
{
    if (x->section != y->section || x->id != y->id || strcmp(x->text, y->text) != 0)
        return false;
    switch (plan_section_kind(x->section)) {
    case PLAN_KIND_PROVISION:
        if (strcmp(x->who, y->who) != 0 || x->times != y->times || x->per != y->per ||
            x->minutes != y->minutes || x->weeks != y->weeks ||
            x->until_review != y->until_review)
            return false;
        __attribute__((fallthrough)); /* provision has links like an outcome */
    case PLAN_KIND_OUTCOME:
        if (x->n_links != y->n_links)
            return false;
        for (size_t i = 0; i < x->n_links; i++)
            if (x->links[i].section != y->links[i].section || x->links[i].id != y->links[i].id)
                return false;
        return true;
    case PLAN_KIND_ADVICE:
        return x->agency == y->agency && x->date == y->date;
    default:
        return true;
    }
}

int plan_diff(const plan *from, const plan *to, arena *a, plan_change **out, size_t *n)
{
    size_t cap = from->n_items + to->n_items + 1;
    plan_change *v = arena_alloc(a, cap * sizeof *v);
    if (!v)
        return SH_ENOMEM;
    size_t k = 0, i = 0, j = 0;
    bool setting_done = false;
    /* Both item arrays are ordered by (section, id): one merge walk. */
    while (i < from->n_items || j < to->n_items) {
        const plan_item *x = i < from->n_items ? &from->items[i] : NULL;
        const plan_item *y = j < to->n_items ? &to->items[j] : NULL;
        plan_section next = x && y ? (x->section < y->section ? x->section : y->section)
                            : x    ? x->section
                                   : y->section;
        if (!setting_done && next > PLAN_I) {
            setting_done = true;
            if (strcmp(from->setting_urn, to->setting_urn) != 0 ||
                from->setting_type != to->setting_type)
                v[k++] = (plan_change){PLAN_CHANGED, PLAN_I, 0, NULL, NULL};
        }
        int c = !x ? 1 : !y ? -1 : ref_cmp(x->section, x->id, y->section, y->id);
        if (c < 0) {
            v[k++] = (plan_change){PLAN_REMOVED, x->section, x->id, x, NULL};
            i++;
        } else if (c > 0) {
            v[k++] = (plan_change){PLAN_ADDED, y->section, y->id, NULL, y};
            j++;
        } else {
            if (!plan_item_equal(x, y))
                v[k++] = (plan_change){PLAN_CHANGED, x->section, x->id, x, y};
            i++;
            j++;
        }
    }
    if (!setting_done && (strcmp(from->setting_urn, to->setting_urn) != 0 ||
                          from->setting_type != to->setting_type))
        v[k++] = (plan_change){PLAN_CHANGED, PLAN_I, 0, NULL, NULL};
    *out = v;
    *n = k;
    return SH_OK;
}

/* ---- section K from the journey ------------------------------------------------------ */

static bool superseded(const event *events, size_t n, int64_t id)
{
    for (size_t i = 0; id && i < n; i++)
        if (events[i].type == EV_CORRECTION && events[i].supersedes == id)
            return true;
    return false;
}

int plan_advice_from_events(const event *events, size_t n, arena *a, plan_advice **out,
                            size_t *n_out)
{
    plan_advice *v = arena_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v)
        return SH_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const event *e = &events[i];
        if (superseded(events, n, e->id))
            continue;
        if (e->type == EV_CORRECTION)
            e = e->replacement;
        if (!e || e->type != EV_ADVICE_RECEIVED)
            continue;
        size_t j = k++;
        while (j > 0 && v[j - 1].date > e->date) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = (plan_advice){e->agency, e->date, 0};
    }
    *out = v;
    *n_out = k;
    return SH_OK;
}
