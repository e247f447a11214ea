-- EHR sync (issue 5): each tenant's EHR endpoints, patients' consent per endpoint, the durable outbox of what is
-- to be sent, the signing keys of SMART Backend Services, and the
-- summary periods already produced. Row-level security by tenant on every table, as everywhere else.

-- An endpoint as its administrator submitted it (JSON or YAML), with the columns the dispatcher needs to find it.
CREATE TABLE ehr_endpoints (
    tenant_id      text        NOT NULL REFERENCES tenants,
    endpoint_id    text        NOT NULL CHECK (endpoint_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    kind           text        NOT NULL CHECK (kind IN ('fhir', 'mllp')),
    document       text        NOT NULL,
    version        integer     NOT NULL DEFAULT 1,
    enabled        boolean     NOT NULL DEFAULT true,
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- One dispatcher per endpoint across every backend process: the lease says which, and until when.
    lease_owner    text,
    lease_until    timestamptz,
    -- What the dispatcher last saw of the endpoint, for the operations board.
    health         text        NOT NULL DEFAULT 'unknown' CHECK (health IN ('unknown', 'up', 'degraded', 'down')),
    health_since   timestamptz NOT NULL DEFAULT now(),
    health_detail  text,
    PRIMARY KEY (tenant_id, endpoint_id)
);

-- A patient's consent to have their data sent to one endpoint. No row, or a revoked one, means nothing is sent.
CREATE TABLE ehr_consents (
    tenant_id    text        NOT NULL,
    patient_id   uuid        NOT NULL,
    endpoint_id  text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('active', 'revoked')),
    changed_at   timestamptz NOT NULL,
    changed_by   text        NOT NULL,
    note         text,
    PRIMARY KEY (tenant_id, patient_id, endpoint_id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients,
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES ehr_endpoints ON DELETE CASCADE
);
-- Every change of consent, by whom: consent is a record people are asked about.
CREATE TABLE ehr_consent_history (
    tenant_id    text        NOT NULL,
    patient_id   uuid        NOT NULL,
    endpoint_id  text        NOT NULL,
    at           timestamptz NOT NULL,
    status       text        NOT NULL,
    changed_by   text        NOT NULL,
    note         text
);
CREATE INDEX ehr_consent_history_patient ON ehr_consent_history (tenant_id, patient_id, at);

-- What is to be sent, written in the same transaction as the decision that produced it. item_key is the item's
-- deterministic identity (a reading's content hash, a summary's period): the same decision taken twice produces
-- one row. seq orders a patient's items; nothing orders different patients' items.
CREATE TABLE ehr_outbox (
    tenant_id        text        NOT NULL,
    item_id          uuid        NOT NULL,
    seq              bigserial,
    endpoint_id      text        NOT NULL,
    patient_id       uuid        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('reading', 'summary')),
    item_key         text        NOT NULL,
    payload          jsonb       NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'held', 'dead')),
    reason           text,                   -- held: why (consent-missing, patient-not-found …); dead: the last error's kind
    attempts         integer     NOT NULL DEFAULT 0,   -- every try
    failures         integer     NOT NULL DEFAULT 0,   -- tries the item itself failed (what dead-letters it)
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    last_attempt_at  timestamptz,
    last_error       text,
    delivered_at     timestamptz,
    remote_id        text,                   -- the EHR's id of what we created (Observation/123), or the ACK's control id
    control_id       text,                   -- HL7 MSH-10: the same on every re-send of the item
    ack_code         text,                   -- HL7 MSA-1 of the last ACK
    PRIMARY KEY (tenant_id, item_id),
    UNIQUE (tenant_id, endpoint_id, item_key),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES ehr_endpoints ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients
);
CREATE INDEX ehr_outbox_queue ON ehr_outbox (tenant_id, endpoint_id, patient_id, seq) WHERE status = 'pending';
CREATE INDEX ehr_outbox_created ON ehr_outbox (tenant_id, created_at);
CREATE INDEX ehr_outbox_patient ON ehr_outbox (tenant_id, patient_id, seq DESC);
CREATE INDEX ehr_outbox_attention ON ehr_outbox (tenant_id, endpoint_id, status, reason) WHERE status IN ('held', 'dead');

-- Tries that failed, with what the EHR said (successes are recorded on the item itself).
CREATE TABLE ehr_attempts (
    tenant_id  text        NOT NULL,
    item_id    uuid        NOT NULL,
    attempt    integer     NOT NULL,
    at         timestamptz NOT NULL,
    took_ms    integer     NOT NULL,
    outcome    text        NOT NULL,
    detail     text        NOT NULL,
    PRIMARY KEY (tenant_id, item_id, attempt),
    FOREIGN KEY (tenant_id, item_id) REFERENCES ehr_outbox ON DELETE CASCADE
);

-- Periodic summaries already produced, so a period is summarised once however often the scheduler runs.
CREATE TABLE ehr_summary_runs (
    tenant_id     text        NOT NULL,
    endpoint_id   text        NOT NULL,
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL,
    produced_at   timestamptz NOT NULL,
    items         integer     NOT NULL,
    PRIMARY KEY (tenant_id, endpoint_id, period_start),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES ehr_endpoints ON DELETE CASCADE
);

-- The keys we sign SMART Backend Services client assertions with, one set per tenant, published as the tenant's
-- JWKS. Rotation: a 'next' key is published before it signs anything, so EHRs that cache our JWKS have it when it
-- becomes 'active'; the key it replaces stays published as 'retired' until it is removed.
CREATE TABLE ehr_signing_keys (
    tenant_id     text        NOT NULL REFERENCES tenants,
    kid           text        NOT NULL,
    algorithm     text        NOT NULL CHECK (algorithm IN ('RS384', 'ES384')),
    public_jwk    text        NOT NULL,
    private_key   bytea       NOT NULL,   -- PKCS#8, sealed with the platform's key-encryption key (AES-GCM)
    status        text        NOT NULL CHECK (status IN ('next', 'active', 'retired')),
    created_at    timestamptz NOT NULL,
    activated_at  timestamptz,
    retired_at    timestamptz,
    PRIMARY KEY (tenant_id, kid)
);
CREATE UNIQUE INDEX ehr_signing_keys_active ON ehr_signing_keys (tenant_id, algorithm) WHERE status = 'active';

SELECT isolate_by_tenant(ARRAY['ehr_endpoints', 'ehr_consents', 'ehr_consent_history', 'ehr_outbox', 'ehr_attempts',
                               'ehr_summary_runs', 'ehr_signing_keys']);
GRANT SELECT, INSERT, UPDATE, DELETE ON ehr_endpoints, ehr_consents, ehr_consent_history, ehr_outbox, ehr_attempts,
    ehr_summary_runs, ehr_signing_keys TO ${approle};
GRANT USAGE ON SEQUENCE ehr_outbox_seq_seq TO ${approle};

-- The dispatchers find their endpoints across tenants (ids only, as for alert deliveries).
CREATE POLICY owner_scan ON ehr_endpoints FOR SELECT TO CURRENT_USER USING (true);
CREATE FUNCTION ehr_endpoints_to_serve()
    RETURNS TABLE (tenant_id text, endpoint_id text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT e.tenant_id, e.endpoint_id FROM ehr_endpoints e JOIN tenants t ON t.tenant_id = e.tenant_id
    WHERE e.enabled AND t.status = 'active' ORDER BY 1, 2 $$;
REVOKE ALL ON FUNCTION ehr_endpoints_to_serve() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ehr_endpoints_to_serve() TO ${approle};
