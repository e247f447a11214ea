package org.vigil.alerting.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * What is published about an alert on {@code vigil.<tenant>.alerts.<patient>} (the dashboard's live subject) and
 * POSTed to tenant webhooks: the alert as it stands after the event, and who or what caused it.
 */
record AlertEvent(String event, String tenant, UUID alertId, UUID patientId, String key, String program,
                  String status, String severity, int count, @Nullable Double value, @Nullable String unit,
                  @Nullable Double limit, String summary, Instant at, Instant committedAt, String actor, boolean late) {
    private static final JsonFactory JSON = new JsonFactory();

    String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", event);
            g.writeStringField("tenant", tenant);
            g.writeStringField("alertId", alertId.toString());
            g.writeStringField("patientId", patientId.toString());
            g.writeStringField("key", key);
            g.writeStringField("program", program);
            g.writeStringField("status", status);
            g.writeStringField("severity", severity);
            g.writeNumberField("count", count);
            if (value != null && Double.isFinite(value)) {
                g.writeNumberField("value", value);
            }
            if (unit != null) {
                g.writeStringField("unit", unit);
            }
            if (limit != null) {
                g.writeNumberField("limit", limit);
            }
            g.writeStringField("summary", summary);
            g.writeStringField("at", at.toString());
            g.writeStringField("committedAt", committedAt.toString());
            g.writeStringField("actor", actor);
            g.writeBooleanField("late", late);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
