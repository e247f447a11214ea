-- Edge ingest (issue 3): what hubs say about themselves, signed webhooks, and re-submitting dead letters.

-- Device status, kept current from hub envelopes (battery, signal, firmware) and from every stored reading
-- (last_seen). Newer facts win; a report that leaves a field out keeps the stored value.
ALTER TABLE devices
    ADD COLUMN last_seen        timestamptz,
    ADD COLUMN battery_percent  real CHECK (battery_percent BETWEEN 0 AND 100),
    ADD COLUMN signal_dbm       integer CHECK (signal_dbm BETWEEN -200 AND 0),
    ADD COLUMN firmware         text,
    ADD COLUMN status_at        timestamptz;

-- Shared secrets for vendor webhooks (HMAC-SHA256 over timestamp, nonce and body). Several keys per tenant
-- so a vendor can rotate: the signature names its key.
CREATE TABLE webhook_keys (
    tenant_id   text        NOT NULL REFERENCES tenants,
    key_id      text        NOT NULL CHECK (key_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    secret      bytea       NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, key_id)
);

-- Nonces seen within the signature tolerance: a captured request replayed inside the window is refused. Rows
-- older than the window are deleted by the backend.
CREATE TABLE webhook_nonces (
    tenant_id   text        NOT NULL,
    nonce       text        NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, nonce)
);
CREATE INDEX webhook_nonces_age ON webhook_nonces (seen_at);

-- Re-submission after a mapping fix: the dead letter stays (it is history), marked with when and how often.
ALTER TABLE dead_letters
    ADD COLUMN resubmitted_at  timestamptz,
    ADD COLUMN resubmissions   integer NOT NULL DEFAULT 0;
CREATE INDEX dead_letters_code ON dead_letters (tenant_id, error_code, received_at DESC);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['webhook_keys', 'webhook_nonces']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                          USING (tenant_id = current_setting('vigil.tenant', true))
                          WITH CHECK (tenant_id = current_setting('vigil.tenant', true))$p$, t);
    END LOOP;
END $$;
GRANT SELECT ON webhook_keys TO ${approle};
GRANT SELECT, INSERT, DELETE ON webhook_nonces TO ${approle};
