-- Telemetry plane: every accepted reading, one row per measured value (a blood-pressure panel 85354-9 gives
-- rows for 8480-6 and 8462-4 with panel = '85354-9' and the same content_hash).
-- ReplacingMergeTree over a key that ends in content_hash: a reading redelivered after a crash collapses to
-- one row, and reads use FINAL, which is cheap for one patient because the key starts with tenant and patient.
CREATE TABLE IF NOT EXISTS readings (
    tenant_id      String,
    patient_id     UUID,
    device_id      String,
    code           String,
    panel          String,
    value          Float64,
    unit           String,
    effective      DateTime,
    effective_ms   UInt16,
    received       DateTime,
    received_ms    UInt16,
    source_format  String,
    raw_ref        String,
    content_hash   FixedString(32)
) ENGINE = ReplacingMergeTree()
  PARTITION BY toYYYYMM(effective)
  ORDER BY (tenant_id, patient_id, code, effective, effective_ms, content_hash)
