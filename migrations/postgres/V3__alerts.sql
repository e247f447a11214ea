-- The alert circuit (issue 4): rule configuration, alerts with their audit trail, the evaluator's durable state,
-- and the delivery outbox. Every tenant table has row-level security like the registry's. Background workers
-- that must find work across tenants (due deliveries, escalations, no-data scans) do it through SECURITY DEFINER
-- functions that return tenant ids and row ids only; they then read each row inside that tenant's scope.

-- A tenant's alerting configuration, as submitted (JSON or YAML, so the administrator gets back what they wrote);
-- every version is kept. The highest version applies; a tenant without one gets the built-in defaults.
CREATE TABLE alert_configs (
    tenant_id   text        NOT NULL REFERENCES tenants,
    version     integer     NOT NULL CHECK (version > 0),
    document    text        NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);

-- A patient's programs, own thresholds and patient-wide snooze (the document as submitted, plus what queries need).
CREATE TABLE patient_alert_settings (
    tenant_id      text        NOT NULL,
    patient_id     uuid        NOT NULL,
    document       text        NOT NULL,
    programs       text[]      NOT NULL,
    snoozed_until  timestamptz,
    enrolled_at    timestamptz NOT NULL DEFAULT now(),
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, patient_id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients
);

CREATE TABLE alerts (
    tenant_id           text        NOT NULL,
    alert_id            uuid        NOT NULL,
    patient_id          uuid        NOT NULL,
    alert_key           text        NOT NULL,   -- <rule id>/<side>: the suppression key within the patient
    rule_id             text        NOT NULL,
    program             text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    severity            text        NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    code                text,
    unit                text,
    first_value         double precision,
    last_value          double precision,
    limit_value         double precision,
    summary             text        NOT NULL,
    count               integer     NOT NULL CHECK (count >= 0),
    first_seen          timestamptz NOT NULL,   -- effective time of the first reading in the alert
    last_seen           timestamptz NOT NULL,
    opened_at           timestamptz NOT NULL,   -- when the alert circuit committed it
    updated_at          timestamptz NOT NULL,
    acknowledged_at     timestamptz,
    acknowledged_by     text,
    resolved_at         timestamptz,
    resolved_by         text,
    assignee            text,
    snoozed_until       timestamptz,
    late                boolean     NOT NULL DEFAULT false,
    escalation_level    integer     NOT NULL DEFAULT 0,   -- ladder steps already notified
    escalation_base     timestamptz,                      -- the ladder's deadlines count from here
    next_escalation_at  timestamptz,
    source_seq          bigint      NOT NULL,             -- the READINGS sequence that opened it
    PRIMARY KEY (tenant_id, alert_id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients
);
-- The suppression key: at most one unresolved alert per patient, rule and side.
CREATE UNIQUE INDEX alerts_active_key ON alerts (tenant_id, patient_id, alert_key) WHERE status <> 'resolved';
CREATE INDEX alerts_queue ON alerts (tenant_id, severity, opened_at) WHERE status <> 'resolved';
CREATE INDEX alerts_patient ON alerts (tenant_id, patient_id, opened_at DESC);
CREATE INDEX alerts_escalation_due ON alerts (next_escalation_at) WHERE next_escalation_at IS NOT NULL AND status = 'open';

-- Every change of an alert, by whom and why: the audit trail people see.
CREATE TABLE alert_transitions (
    tenant_id    text        NOT NULL,
    alert_id     uuid        NOT NULL,
    seq          integer     NOT NULL,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,   -- 'system' or the user's subject
    action       text        NOT NULL CHECK (action IN ('opened', 'escalated', 'reopened', 'acknowledged', 'assigned',
                                                        'snoozed', 'resolved', 'paged')),
    from_status  text,
    to_status    text        NOT NULL,
    severity     text        NOT NULL,
    reason       text        NOT NULL,
    PRIMARY KEY (tenant_id, alert_id, seq),
    FOREIGN KEY (tenant_id, alert_id) REFERENCES alerts ON DELETE CASCADE
);

-- The evaluator's durable memory. Suppression state is written with the alert effects it caused; windows and
-- latest values are snapshotted every few seconds and, after a restart, rebuilt exactly by re-reading the stream
-- from the snapshot's sequence (see stream_positions).
CREATE TABLE alert_rule_state (
    tenant_id   text        NOT NULL,
    patient_id  uuid        NOT NULL,
    alert_key   text        NOT NULL,
    phase       text        NOT NULL CHECK (phase IN ('PENDING', 'OPEN', 'RECOVERING', 'COOLING')),
    worst       text,
    count       integer     NOT NULL,
    last_value  double precision,
    last_seen   timestamptz,
    since       timestamptz,
    opened_at   timestamptz,
    PRIMARY KEY (tenant_id, patient_id, alert_key)
);

CREATE TABLE alert_patient_memory (
    tenant_id        text        NOT NULL,
    patient_id       uuid        NOT NULL,
    memory           jsonb       NOT NULL,   -- {"windows": {code: [[epochMillis, value], …]}, "latest": {code: [epochMillis, value]}}
    last_reading_at  timestamptz,
    PRIMARY KEY (tenant_id, patient_id)
);

-- Where a stream consumer that keeps its own position is (a platform table: sequences only, no tenant data).
-- effects_seq: every message up to it has its alert effects committed; memory_seq: the memory snapshot reflects
-- every message up to it (memory_seq <= effects_seq).
CREATE TABLE stream_positions (
    consumer     text        PRIMARY KEY,
    stream       text        NOT NULL,
    effects_seq  bigint      NOT NULL,
    memory_seq   bigint      NOT NULL CHECK (memory_seq <= effects_seq),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Deliveries of alert events and notifications, written in the alert's transaction and sent by workers.
CREATE TABLE alert_deliveries (
    tenant_id        text        NOT NULL,
    delivery_id      uuid        NOT NULL,
    alert_id         uuid        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('nats', 'email', 'webhook')),
    destination      text        NOT NULL,   -- subject, address or URL
    role             text,                   -- the ladder role it pages, when it pages one
    event            text        NOT NULL,
    subject          text        NOT NULL,
    body             text        NOT NULL,
    content_type     text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    delivered_at     timestamptz,
    last_error       text,
    PRIMARY KEY (tenant_id, delivery_id),
    FOREIGN KEY (tenant_id, alert_id) REFERENCES alerts ON DELETE CASCADE
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (channel, next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_deliveries_alert ON alert_deliveries (tenant_id, alert_id, created_at);

CREATE TABLE alert_delivery_attempts (
    tenant_id    text        NOT NULL,
    delivery_id  uuid        NOT NULL,
    attempt      integer     NOT NULL,
    at           timestamptz NOT NULL,
    took_ms      integer     NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gave-up')),
    detail       text        NOT NULL,
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES alert_deliveries ON DELETE CASCADE
);

-- The canary: per tenant, a synthetic patient wearing a synthetic device whose reading goes through the whole path
-- (NATS, decoding, the device registry, the evaluator, PostgreSQL) every minute and must come out as that patient's
-- alert in time, or a platform alarm is raised. Synthetic patients' alerts are marked canary: never listed or paged.
ALTER TABLE patients ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
ALTER TABLE alerts ADD COLUMN canary boolean NOT NULL DEFAULT false;

CREATE TABLE canaries (
    tenant_id        text        PRIMARY KEY REFERENCES tenants,
    patient_id       uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    serial           text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('starting', 'ok', 'late')),
    status_since     timestamptz NOT NULL,
    probe_sent_at    timestamptz,            -- when the last probe was published
    probe_effective  timestamptz,            -- its effective time: the canary alert's last_seen reaches it when it is out
    probe_arrived    boolean     NOT NULL DEFAULT false,
    probe_error      text,                   -- why the last probe could not be published
    arrived_at       timestamptz,            -- when the last probe that came out was committed as the canary alert
    latency_ms       integer,                -- published → committed, for that probe
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients,
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices
);

-- What operators must look at, per tenant (e.g. a late canary). An alarm stays open until its cause clears.
CREATE TABLE platform_alarms (
    tenant_id   text        NOT NULL,
    alarm_id    uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('alert-canary-late')),
    raised_at   timestamptz NOT NULL,
    cleared_at  timestamptz,
    detail      text        NOT NULL,   -- no PHI: operators read it
    PRIMARY KEY (tenant_id, alarm_id)
);
CREATE UNIQUE INDEX platform_alarms_open ON platform_alarms (tenant_id, kind) WHERE cleared_at IS NULL;

-- Keys for webhooks we send (alert notifications) are kept apart from those that verify webhooks sent to us: a
-- vendor's inbound secret must never sign what we send, nor the reverse.
ALTER TABLE webhook_keys ADD COLUMN purpose text NOT NULL DEFAULT 'inbound' CHECK (purpose IN ('inbound', 'outbound'));

-- Row-level security by tenant, the three statements V1 and V2 spelt out per table; later migrations call this.
CREATE FUNCTION isolate_by_tenant(tables text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY tables
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                          USING (tenant_id = current_setting('vigil.tenant', true))
                          WITH CHECK (tenant_id = current_setting('vigil.tenant', true))$p$, t);
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION isolate_by_tenant(text[]) FROM PUBLIC;

SELECT isolate_by_tenant(ARRAY['alert_configs', 'patient_alert_settings', 'alerts', 'alert_transitions', 'alert_rule_state',
                               'alert_patient_memory', 'alert_deliveries', 'alert_delivery_attempts', 'canaries',
                               'platform_alarms']);
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_configs, patient_alert_settings, alerts, alert_transitions, alert_rule_state,
    alert_patient_memory, alert_deliveries, alert_delivery_attempts, canaries, platform_alarms TO ${approle};
GRANT SELECT, INSERT, UPDATE ON stream_positions TO ${approle};

-- Work across tenants, ids only. The functions below run as the schema owner (SECURITY DEFINER), which FORCE ROW
-- LEVEL SECURITY confines like everyone else; these policies let the owner, and only the owner, scan the tables
-- the functions read. The application role still sees one tenant at a time.
CREATE POLICY owner_scan ON alert_deliveries FOR ALL TO CURRENT_USER USING (true);
CREATE POLICY owner_scan ON alerts FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY owner_scan ON tenants FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY owner_scan ON platform_alarms FOR SELECT TO CURRENT_USER USING (true);

-- Claims up to max_rows due deliveries of a channel: pushes their next attempt out by lease so that another
-- worker (or this one after a crash) takes them only if this attempt never records an outcome.
CREATE FUNCTION claim_alert_deliveries(p_channel text, p_now timestamptz, p_max integer, p_lease interval)
    RETURNS TABLE (tenant_id text, delivery_id uuid)
    LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    UPDATE alert_deliveries d SET next_attempt_at = p_now + p_lease
    FROM (SELECT x.tenant_id, x.delivery_id FROM alert_deliveries x
          WHERE x.status = 'pending' AND x.channel = p_channel AND x.next_attempt_at <= p_now
          ORDER BY x.next_attempt_at LIMIT p_max FOR UPDATE SKIP LOCKED) due
    WHERE d.tenant_id = due.tenant_id AND d.delivery_id = due.delivery_id
    RETURNING d.tenant_id, d.delivery_id $$;

CREATE FUNCTION due_escalations(p_now timestamptz, p_max integer)
    RETURNS TABLE (tenant_id text, alert_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.tenant_id, a.alert_id FROM alerts a
    WHERE a.status = 'open' AND a.next_escalation_at <= p_now AND (a.snoozed_until IS NULL OR a.snoozed_until <= p_now)
    ORDER BY a.next_escalation_at LIMIT p_max $$;

CREATE FUNCTION active_tenants()
    RETURNS TABLE (tenant_id text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT t.tenant_id FROM tenants t WHERE t.status = 'active' ORDER BY 1 $$;

-- Open platform alarms of every tenant, for the operations board of platform administrators (no PHI in them).
CREATE FUNCTION open_platform_alarms()
    RETURNS TABLE (tenant_id text, alarm_id uuid, kind text, raised_at timestamptz, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.tenant_id, a.alarm_id, a.kind, a.raised_at, a.detail FROM platform_alarms a
    WHERE a.cleared_at IS NULL ORDER BY a.raised_at $$;

REVOKE ALL ON FUNCTION claim_alert_deliveries(text, timestamptz, integer, interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION due_escalations(timestamptz, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION active_tenants() FROM PUBLIC;
REVOKE ALL ON FUNCTION open_platform_alarms() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_alert_deliveries(text, timestamptz, integer, interval) TO ${approle};
GRANT EXECUTE ON FUNCTION due_escalations(timestamptz, integer) TO ${approle};
GRANT EXECUTE ON FUNCTION active_tenants() TO ${approle};
GRANT EXECUTE ON FUNCTION open_platform_alarms() TO ${approle};
