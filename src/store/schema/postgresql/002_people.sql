-- 002_people: open advice on cases, the caseload filters' indexes, people,
-- their sessions and API tokens, and the append-only audit log (PostgreSQL
-- dialect of schema/sqlite/002_people.sql: same columns, checks, indexes).
--
-- Types as in 001: BIGINT identities, BOOLEAN flags, BYTEA for token
-- hashes, BIGINT unix seconds. la_code is on every row that belongs to an
-- area; users and tokens are small (one row per person, per session) and
-- are not meant to be partitioned, audit is (its key begins with la_code).

-- Agencies with an advice request not yet answered. A bit set: bit 0
-- education, 1 health, 2 social_care, 3 psychology, 4 other; the store maps
-- the C enum to these positions by wire name.
ALTER TABLE cases ADD COLUMN open_advice INTEGER NOT NULL DEFAULT 0
    CHECK (open_advice >= 0);

CREATE INDEX children_setting ON children (la_code, setting_urn)
    WHERE setting_urn IS NOT NULL;
CREATE INDEX cases_advice ON cases (la_code, next_due)
    WHERE open_advice <> 0;

-- People who sign in; username is never reused (disable, never delete).
CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code         TEXT NOT NULL CHECK (length(la_code) = 3),
    username        TEXT NOT NULL UNIQUE
                        CHECK (length(username) BETWEEN 1 AND 64 AND username = lower(username)),
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    email           TEXT CHECK (length(email) <= 254),
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'manager', 'health',
                        'social_care', 'setting', 'admin', 'inspector', 'parent', 'system')),
    organisation    TEXT CHECK (length(organisation) <= 100),
    setting_urn     TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    password_hash   TEXT NOT NULL CHECK (length(password_hash) BETWEEN 1 AND 255),
    disabled        BOOLEAN NOT NULL DEFAULT false,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_until    BIGINT,            -- NULL when not locked
    created_at      BIGINT NOT NULL,
    last_sign_in    BIGINT             -- NULL if never
);

-- Sessions and API tokens, by a hash of the secret (never the secret).
CREATE TABLE tokens (
    hash       BYTEA PRIMARY KEY CHECK (length(hash) = 32),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    csrf       TEXT CHECK (length(csrf) = 43),    -- sessions only
    label      TEXT CHECK (length(label) <= 100), -- API tokens only
    created_at BIGINT NOT NULL,
    last_used  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CHECK ((kind = 'session') = (csrf IS NOT NULL))
);
CREATE INDEX tokens_user ON tokens (user_id);
CREATE INDEX tokens_expiry ON tokens (expires_at);

-- Who did what to which record, when and from where. The primary key
-- begins with la_code so the table can be partitioned by area.
CREATE TABLE audit (
    id        BIGINT GENERATED ALWAYS AS IDENTITY,
    at        BIGINT NOT NULL,
    la_code   TEXT NOT NULL CHECK (length(la_code) = 3),
    username  TEXT CHECK (length(username) <= 64),  -- NULL: failed sign-in, unknown name
    role      TEXT CHECK (length(role) <= 32),
    action    TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    object    TEXT CHECK (length(object) <= 32),
    object_id BIGINT,
    child_id  BIGINT,
    detail    TEXT CHECK (length(detail) <= 200),
    remote    TEXT CHECK (length(remote) <= 64),
    PRIMARY KEY (la_code, id)
);
CREATE INDEX audit_area ON audit (la_code, at, id);
CREATE INDEX audit_user ON audit (la_code, username, at, id);
CREATE INDEX audit_child ON audit (la_code, child_id, at, id);

-- The log is append-only: the database itself refuses to change or remove
-- an entry (UPDATE, DELETE, TRUNCATE), whatever the code above it does.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
