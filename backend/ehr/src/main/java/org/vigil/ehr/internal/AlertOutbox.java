package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.vigil.alerting.AlertChange;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.AlertFollower;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.ObservationItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * For endpoints that receive only the readings that raised an alert: the reading goes into the outbox in the
 * alert's own transaction, flagged abnormal and annotated with the alert, so an alert and its EHR item commit
 * together or not at all. The alert writer runs this behind a savepoint: a failure here never costs the alarm.
 */
@Singleton
class AlertOutbox implements AlertFollower {
    private final EhrEndpoints endpoints;
    private final AlertConfigs configs;
    private final DeviceInfos devices;
    private final ObjectMapper json;
    private final Clock clock;
    private final DispatchSignal signal;

    AlertOutbox(EhrEndpoints endpoints, AlertConfigs configs, DeviceInfos devices, ObjectMapper json, Clock clock,
                DispatchSignal signal) {
        this.endpoints = endpoints;
        this.configs = configs;
        this.devices = devices;
        this.json = json;
        this.clock = clock;
        this.signal = signal;
    }

    @Override
    public void follow(Connection c, TenantId tenant, UUID patient, UUID alertId, String event, AlertChange change,
                       @Nullable Reading reading) throws SQLException {
        if (reading == null) {
            return;  // no-data and silent-device alerts have no result to chart
        }
        List<String> targets = new ArrayList<>();
        for (EhrEndpoint e : endpoints.active(tenant)) {
            if (e.send().readings() == EhrEndpoint.Readings.ALERTING) {
                targets.add(e.id());
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        DeviceInfo device = devices.byReported(c, tenant, reading.device());
        if (device == null) {
            return;  // the evaluator resolved it a moment ago; a device deleted since has no EHR identity to send
        }
        ObservationItem item = Items.of(reading, device, configs.snapshot(tenant).rulesFor(patient),
                new ObservationItem.AlertNote(alertId, change.severity().label(), change.ruleId(), change.summary()));
        String payload;
        try {
            payload = json.writeValueAsString(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Outbox.NewItem> items = new ArrayList<>();
        for (String endpoint : targets) {
            items.add(new Outbox.NewItem(endpoint, patient, "reading", reading.contentHash(), payload));
        }
        if (Outbox.add(c, tenant, items, clock.instant()) > 0) {
            signal.wake(tenant);
        }
    }
}
