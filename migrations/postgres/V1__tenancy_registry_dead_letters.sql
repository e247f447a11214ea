-- Clinical-plane registry. tenant_id leads every key and every table has row-level security, so a
-- connection as the application role only ever sees the tenant named in the transaction-local setting
-- vigil.tenant (set by TenantScope). No setting → no rows: tenancy fails closed.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tenants (
    tenant_id   text PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text        NOT NULL,
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patients (
    tenant_id     text        NOT NULL REFERENCES tenants,
    patient_id    uuid        NOT NULL,
    display_name  text        NOT NULL,
    birth_date    date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, patient_id)
);

-- One row per identifier a system issued for the patient, e.g. the MRN of each EHR (system = its OID/URI).
CREATE TABLE patient_identifiers (
    tenant_id   text NOT NULL,
    patient_id  uuid NOT NULL,
    system      text NOT NULL,
    value       text NOT NULL,
    PRIMARY KEY (tenant_id, system, value),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients ON DELETE CASCADE
);
CREATE INDEX patient_identifiers_patient ON patient_identifiers (tenant_id, patient_id);

CREATE TABLE devices (
    tenant_id   text        NOT NULL REFERENCES tenants,
    device_id   uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('blood-pressure-cuff', 'scale', 'glucometer',
                                                      'pulse-oximeter', 'thermometer', 'wearable', 'hub')),
    model       text        NOT NULL,
    serial      text,
    imei        text CHECK (imei ~ '^[0-9]{15}$'),
    mac         text CHECK (mac ~ '^[0-9A-F]{2}(:[0-9A-F]{2}){5}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, device_id),
    UNIQUE (tenant_id, serial),
    UNIQUE (tenant_id, imei),
    UNIQUE (tenant_id, mac),
    CHECK (serial IS NOT NULL OR imei IS NOT NULL OR mac IS NOT NULL)
);

-- A device belongs to one patient at a time; the exclusion constraint makes overlapping periods impossible,
-- so "who wore this cuff at 03:00 last Tuesday" always has at most one answer.
CREATE TABLE device_assignments (
    tenant_id      text      NOT NULL,
    assignment_id  uuid      NOT NULL,
    device_id      uuid      NOT NULL,
    patient_id     uuid      NOT NULL,
    valid          tstzrange NOT NULL CHECK (NOT isempty(valid)),
    PRIMARY KEY (tenant_id, assignment_id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices,
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients,
    EXCLUDE USING gist (tenant_id WITH =, device_id WITH =, valid WITH &&)
);
CREATE INDEX device_assignments_patient ON device_assignments (tenant_id, patient_id);

-- Inputs we could not use. tenant_id is the tenant named by the NATS subject; it has no foreign key because
-- a payload for an unknown tenant must still be recorded.
CREATE TABLE dead_letters (
    tenant_id       text        NOT NULL,
    dead_letter_id  uuid        NOT NULL,
    received_at     timestamptz NOT NULL,
    subject         text        NOT NULL,
    error_code      text        NOT NULL,
    reason          text        NOT NULL,
    payload         bytea       NOT NULL,
    stream_seq      bigint,
    PRIMARY KEY (tenant_id, dead_letter_id)
);
CREATE INDEX dead_letters_recent ON dead_letters (tenant_id, received_at DESC, dead_letter_id);
-- A redelivered message must not produce a second dead letter.
CREATE UNIQUE INDEX dead_letters_stream_seq ON dead_letters (tenant_id, stream_seq) WHERE stream_seq IS NOT NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'patients', 'patient_identifiers', 'devices', 'device_assignments', 'dead_letters']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                          USING (tenant_id = current_setting('vigil.tenant', true))
                          WITH CHECK (tenant_id = current_setting('vigil.tenant', true))$p$, t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ${approle}', t);
    END LOOP;
END $$;
