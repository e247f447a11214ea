package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.vigil.core.TenantId;
import org.vigil.registry.Patients;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.StoredReading;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** A patient's telemetry. A patient of another tenant is indistinguishable from one that does not exist: 404. */
@Controller("/api/v1/patients/{patientId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReadingsController {
    static final int MAX_LIMIT = 5_000;

    private final Patients patients;
    private final ReadingHistory history;

    public ReadingsController(Patients patients, ReadingHistory history) {
        this.patients = patients;
        this.history = history;
    }

    /**
     * @param from   ISO-8601 instant, inclusive; default 24 h before {@code to}
     * @param to     ISO-8601 instant, exclusive; default now
     * @param code   LOINC code; a panel code (85354-9) also returns its components
     * @param order  {@code oldest} (default: oldest first) or {@code newest}
     * @param cursor {@code next} from the previous page, asked for in the same order
     */
    @Get("/readings")
    public ReadingPage readings(Authentication auth, @PathVariable UUID patientId,
                                @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                                @Nullable @QueryValue String code, @Nullable @QueryValue String order,
                                @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        TenantId tenant = requirePatient(auth, patientId);
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'from' must be before 'to'.");
        }
        int size = limit == null ? 500 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        ReadingHistory.Order sequence;
        if (order == null || order.equals("oldest")) {
            sequence = ReadingHistory.Order.OLDEST_FIRST;
        } else if (order.equals("newest")) {
            sequence = ReadingHistory.Order.NEWEST_FIRST;
        } else {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'order' must be 'oldest' or 'newest', got '" + order + "'.");
        }
        try {
            return history.readings(tenant, patientId, start, end, code, sequence, cursor, size);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** The most recent value of every code measured for the patient. */
    @Get("/latest")
    public List<StoredReading> latest(Authentication auth, @PathVariable UUID patientId) {
        return history.latest(requirePatient(auth, patientId), patientId);
    }

    private TenantId requirePatient(Authentication auth, UUID patientId) {
        TenantId tenant = CurrentTenant.of(auth);
        if (!patients.exists(tenant, patientId)) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "No patient " + patientId + ".");
        }
        return tenant;
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "'" + name + "' must be an ISO-8601 UTC instant such as 2026-11-21T08:00:00Z, got '" + value + "'.");
        }
    }
}
