-- 002_people: open advice on cases, the caseload filters' indexes, people,
-- their sessions and API tokens, and the append-only audit log (SQLite).
--
-- Same conventions as 001_init.sql: standard SQL (SQLite-only spellings are
-- INTEGER PRIMARY KEY [AUTOINCREMENT] and WITHOUT ROWID), la_code on every
-- row that belongs to an area, absent values NULL, enumerations by wire name,
-- instants in unix seconds.

-- Agencies with an advice request not yet answered, cached from the journey
-- like the rest of the summary. A bit set: bit 0 education, 1 health,
-- 2 social_care, 3 psychology, 4 other. These positions belong to the
-- schema, not to the C enum: the store maps the enum to them by wire name,
-- so reordering the enum cannot widen what health or social care staff see.
ALTER TABLE cases ADD COLUMN open_advice INTEGER NOT NULL DEFAULT 0
    CHECK (open_advice >= 0);

-- A setting's staff see the children whose current setting it is: their
-- caseload is driven from this index rather than a scan of the area.
CREATE INDEX children_setting ON children (la_code, setting_urn)
    WHERE setting_urn IS NOT NULL;

-- Health and social care staff see the children with an advice request open
-- to their service, a small share of the area at any time.
CREATE INDEX cases_advice ON cases (la_code, next_due)
    WHERE open_advice <> 0;

-- People who sign in. username is the stable identity written into cases
-- (coordinator), events (recorded_by) and the audit log, so it is never
-- reused: an account is disabled, not deleted.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    la_code         CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    username        TEXT NOT NULL UNIQUE
                        CHECK (length(username) BETWEEN 1 AND 64 AND username = lower(username)),
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    email           TEXT CHECK (length(email) <= 254),
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'manager', 'health',
                        'social_care', 'setting', 'admin', 'inspector', 'parent', 'system')),
    organisation    TEXT CHECK (length(organisation) <= 100),
    setting_urn     TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    password_hash   TEXT NOT NULL CHECK (length(password_hash) BETWEEN 1 AND 255),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_until    INTEGER,           -- NULL when not locked
    created_at      INTEGER NOT NULL,
    last_sign_in    INTEGER            -- NULL if never
);

-- Sessions and API tokens, by a hash of the secret (never the secret). The
-- hash is the key, so the table is stored as its primary key index alone.
CREATE TABLE tokens (
    hash       BLOB PRIMARY KEY CHECK (typeof(hash) = 'blob' AND length(hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    csrf       TEXT CHECK (length(csrf) = 43),   -- sessions only
    label      TEXT CHECK (length(label) <= 100), -- API tokens only
    created_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CHECK ((kind = 'session') = (csrf IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens (user_id);
CREATE INDEX tokens_expiry ON tokens (expires_at);

-- Who did what to which record, when and from where. AUTOINCREMENT so an id
-- is never reused. action and object are not limited to a list: the log
-- must accept whatever happened, so only their lengths are checked.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    la_code   CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    username  TEXT CHECK (length(username) <= 64),  -- NULL: failed sign-in, unknown name
    role      TEXT CHECK (length(role) <= 32),
    action    TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    object    TEXT CHECK (length(object) <= 32),
    object_id INTEGER,
    child_id  INTEGER,
    detail    TEXT CHECK (length(detail) <= 200),
    remote    TEXT CHECK (length(remote) <= 64)
);
-- One index per way the log is searched; each ends in `at` (and the rowid)
-- so a page newest first, or an export oldest first, is read in order.
CREATE INDEX audit_area ON audit (la_code, at);
CREATE INDEX audit_user ON audit (la_code, username, at);
CREATE INDEX audit_child ON audit (la_code, child_id, at);

-- The log is append-only: the database itself refuses to change or remove
-- an entry, whatever the code above it does.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
