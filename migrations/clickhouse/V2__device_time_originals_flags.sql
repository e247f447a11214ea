-- Edge ingest keeps what the device said next to what Vigil made of it:
--   device_time    the device clock's time, before drift correction (equal to effective when none was needed)
--   original_value / original_unit   the value and unit the device sent, when the edge converted it (else equal)
--   flags          qualifiers the device reported (irregular-pulse, statistic:maximum, time:received, …)
ALTER TABLE readings
    ADD COLUMN device_time    DateTime AFTER received_ms,
    ADD COLUMN device_time_ms UInt16 AFTER device_time,
    ADD COLUMN original_value Float64 AFTER unit,
    ADD COLUMN original_unit  String AFTER original_value,
    ADD COLUMN flags          Array(String) AFTER source_format
