-- 016_outbox_asker: the portal's outbox can hold the acknowledgement
-- e-mailed to someone who asked for an EHC needs assessment online (012),
-- who has no account (issue 7). A row is addressed either to an account
-- (to_user_id, as before) or to the person who sent an online request
-- (online_request_id, its e-mail address in to_email), never both and never
-- neither. online_request_id is UNIQUE: one acknowledgement per request,
-- whatever happens (the same page sent twice is one request already,
-- app/ask.h). The same sender sends both kinds, with the same once-only and
-- retry rules (app/notify.h).
ALTER TABLE portal_outbox ALTER COLUMN to_user_id DROP NOT NULL;
ALTER TABLE portal_outbox ADD COLUMN online_request_id BIGINT UNIQUE
    REFERENCES online_requests (id);
ALTER TABLE portal_outbox ADD CONSTRAINT portal_outbox_one_recipient
    CHECK ((to_user_id IS NULL) <> (online_request_id IS NULL));
