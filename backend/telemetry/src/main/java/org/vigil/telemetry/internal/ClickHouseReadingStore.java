package org.vigil.telemetry.internal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.Measurement;
import org.vigil.core.Reading;
import org.vigil.core.ReadingSink;
import org.vigil.core.TenantId;
import org.vigil.core.VitalSign;
import org.vigil.telemetry.PeriodStatistic;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.Series;
import org.vigil.telemetry.SeriesPoint;
import org.vigil.telemetry.StoredReading;
import org.vigil.telemetry.TelemetryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.yandex.clickhouse.ClickHouseStatement;
import ru.yandex.clickhouse.domain.ClickHouseFormat;
import ru.yandex.clickhouse.util.ClickHouseRowBinaryStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The telemetry store in ClickHouse. Writes stream RowBinary in one INSERT per batch (the fastest path the 18.16
 * driver offers, ~250k rows/s here); an INSERT is atomic, so a crash mid-batch leaves nothing half-written.
 * Reads use FINAL so a reading that was written twice (redelivery after a crash) is seen once.
 */
@Singleton
public class ClickHouseReadingStore implements ReadingSink, ReadingHistory {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseReadingStore.class);
    private static final String COLUMNS = "tenant_id, patient_id, device_id, code, panel, value, unit, original_value, "
            + "original_unit, effective, effective_ms, received, received_ms, device_time, device_time_ms, source_format, "
            + "flags, raw_ref, content_hash";
    // Flags travel as one string: the 0.2.6 driver's Array support is unreliable against ClickHouse 18.16.
    private static final String SELECT = "SELECT code, panel, value, unit, toUInt32(effective) AS eff_s, effective_ms, "
            + "toUInt32(received) AS rec_s, received_ms, device_id, source_format, content_hash, original_value, "
            + "original_unit, toUInt32(device_time), device_time_ms, arrayStringConcat(flags, '\\n') FROM readings FINAL ";

    private static final long DRIFT_MARGIN_S = 3600;

    private final ClickHouseConnections connections;
    private final ClickHouseMigrator migrator;
    private final String insert;
    private volatile boolean schemaReady;

    /**
     * Applies the schema now if ClickHouse answers, else on first use: the backend (and, later, the alert circuit
     * that does not need ClickHouse) must start while ClickHouse is down. A migration that is wrong, rather than a
     * server that is unreachable, still stops the start-up.
     */
    public ClickHouseReadingStore(ClickHouseConnections connections, ClickHouseMigrator migrator) throws IOException {
        this.connections = connections;
        this.migrator = migrator;
        this.insert = "INSERT INTO " + connections.database() + ".readings (" + COLUMNS + ")";
        try {
            ensureSchema();
        } catch (SQLException e) {
            LOG.warn("ClickHouse is not reachable ({}); its schema will be applied when it is", e.getMessage());
        }
    }

    private void ensureSchema() throws SQLException, IOException {
        if (!schemaReady) {
            synchronized (this) {
                if (!schemaReady) {
                    migrator.migrate();
                    schemaReady = true;
                }
            }
        }
    }

    @Override
    public void write(List<Reading> batch, boolean mayBeStored) throws SQLException, IOException {
        ensureSchema();
        List<Reading> rows = mayBeStored ? withoutStored(distinct(batch)) : batch;
        if (rows.isEmpty()) {
            return;
        }
        try (ClickHouseStatement st = connections.connection().createStatement()) {
            st.write().send(insert, out -> {
                for (Reading r : rows) {
                    writeRows(out, r);
                }
            }, ClickHouseFormat.RowBinary);
        }
    }

    private static void writeRows(ClickHouseRowBinaryStream out, Reading r) throws IOException {
        byte[] hash = r.contentHash().getBytes(StandardCharsets.US_ASCII);
        String panel = r.isPanel() ? r.code() : "";
        long effMs = r.effective().toEpochMilli();
        long recMs = r.received().toEpochMilli();
        long devMs = r.deviceTime().toEpochMilli();
        for (Measurement m : r.measurements()) {
            out.writeString(r.tenant().value());
            out.writeUUID(r.patient());
            out.writeString(r.device());
            out.writeString(m.code());
            out.writeString(panel);
            out.writeFloat64(m.value());
            out.writeString(m.unit());
            out.writeFloat64(m.reportedValue());
            out.writeString(m.reportedUnit());
            out.writeUInt32(Math.floorDiv(effMs, 1000));
            out.writeUInt16((int) Math.floorMod(effMs, 1000));
            out.writeUInt32(Math.floorDiv(recMs, 1000));
            out.writeUInt16((int) Math.floorMod(recMs, 1000));
            out.writeUInt32(Math.floorDiv(devMs, 1000));
            out.writeUInt16((int) Math.floorMod(devMs, 1000));
            out.writeString(r.sourceFormat());
            out.writeUnsignedLeb128(r.flags().size());
            for (String flag : r.flags()) {
                out.writeString(flag);
            }
            out.writeString(r.rawRef());
            out.writeBytes(hash);
        }
    }

    /**
     * The same reading twice in one batch, when the server redelivered it before the first copy was committed.
     * (A device resending a reading outside the dedup window can also leave two rows; FINAL hides them.)
     */
    private static List<Reading> distinct(List<Reading> batch) {
        Set<String> seen = new HashSet<>(batch.size() * 2);
        List<Reading> out = new ArrayList<>(batch.size());
        for (Reading r : batch) {
            if (seen.add(r.contentHash())) {
                out.add(r);
            }
        }
        return out.size() == batch.size() ? batch : out;
    }

    /**
     * Drops readings already stored, for a batch that may contain redeliveries (the previous attempt may have been
     * committed just before a crash). FINAL makes reads correct anyway; this keeps physical duplicates, and the
     * double counting they would cause in rollups, out of the table. The query is bounded by the batch's patients
     * and time range, so it reads a few granules per patient. The range is widened by an hour each way: a reading
     * whose time was corrected for clock drift gets a slightly different effective time each time it arrives.
     */
    private List<Reading> withoutStored(List<Reading> batch) throws SQLException {
        Set<UUID> patients = new HashSet<>();
        Set<String> tenants = new HashSet<>();
        long minS = Long.MAX_VALUE;
        long maxS = Long.MIN_VALUE;
        for (Reading r : batch) {
            patients.add(r.patient());
            tenants.add(r.tenant().value());
            minS = Math.min(minS, r.effective().getEpochSecond());
            maxS = Math.max(maxS, r.effective().getEpochSecond());
        }
        minS -= DRIFT_MARGIN_S;
        maxS += DRIFT_MARGIN_S;
        String sql = "SELECT DISTINCT content_hash FROM readings WHERE tenant_id IN (" + placeholders(tenants.size())
                + ") AND patient_id IN (" + placeholders(patients.size()) + ") AND effective BETWEEN toDateTime(?) AND toDateTime(?)";
        Set<String> stored = new HashSet<>();
        try (PreparedStatement ps = connections.connection().prepareStatement(sql)) {
            int i = 1;
            for (String t : tenants) {
                ps.setString(i++, t);
            }
            for (UUID p : patients) {
                ps.setString(i++, p.toString());
            }
            ps.setLong(i++, minS);
            ps.setLong(i, maxS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        if (stored.isEmpty()) {
            return batch;
        }
        List<Reading> fresh = new ArrayList<>(batch.size());
        for (Reading r : batch) {
            if (!stored.contains(r.contentHash())) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    @Override
    public ReadingPage readings(TenantId tenant, UUID patient, Instant from, Instant to, @Nullable String code,
                                Order order, @Nullable String cursor, int limit) {
        boolean newest = order == Order.NEWEST_FIRST;
        Cursor after = cursor == null ? null : Cursor.parse(cursor, newest);
        StringBuilder sql = new StringBuilder(SELECT).append(
                "WHERE tenant_id = ? AND patient_id = ? AND effective >= toDateTime(?) AND effective <= toDateTime(?) ");
        List<Object> args = new ArrayList<>(List.of(tenant.value(), patient.toString(), from.getEpochSecond(), to.getEpochSecond()));
        if (code != null) {
            sql.append("AND (code = ? OR panel = ?) ");
            args.add(code);
            args.add(code);
        }
        // The time bounds above are whole seconds (DateTime); the millisecond parts are filtered here.
        sql.append("AND toUInt64(effective) * 1000 + effective_ms >= ? AND toUInt64(effective) * 1000 + effective_ms < ? ");
        args.add(from.toEpochMilli());
        args.add(to.toEpochMilli());
        String beyond = newest ? "<" : ">";
        if (after != null) {
            sql.append("AND (toUInt64(effective) * 1000 + effective_ms ").append(beyond)
                    .append(" ? OR (toUInt64(effective) * 1000 + effective_ms = ? AND (code ").append(beyond)
                    .append(" ? OR (code = ? AND content_hash ").append(beyond).append(" ?)))) ");
            args.addAll(List.of(after.effectiveMs(), after.effectiveMs(), after.code(), after.code(), after.hash()));
        }
        String direction = newest ? " DESC" : "";
        sql.append("ORDER BY effective").append(direction).append(", effective_ms").append(direction)
                .append(", code").append(direction).append(", content_hash").append(direction).append(" LIMIT ?");
        args.add(limit + 1);
        List<StoredReading> items = query(sql.toString(), args);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            StoredReading last = items.get(limit - 1);
            next = new Cursor(last.effective().toEpochMilli(), last.code(), last.readingId(), newest).encode();
        }
        return new ReadingPage(List.copyOf(items), next);
    }

    @Override
    public List<StoredReading> latest(TenantId tenant, UUID patient) {
        String sql = "SELECT code, any(panel), argMax(value, t), argMax(unit, t), intDiv(max(t), 1000) AS eff_s, "
                + "toUInt16(max(t) % 1000), intDiv(argMax(rec, t), 1000), toUInt16(argMax(rec, t) % 1000), "
                + "argMax(device_id, t), argMax(source_format, t), argMax(content_hash, t), argMax(original_value, t), "
                + "argMax(original_unit, t), intDiv(argMax(dev, t), 1000), toUInt16(argMax(dev, t) % 1000), "
                + "argMax(arrayStringConcat(flags, '\\n'), t) FROM ("
                + "SELECT code, panel, value, unit, device_id, source_format, content_hash, original_value, original_unit, flags, "
                + "toUInt64(device_time) * 1000 + device_time_ms AS dev, "
                + "toUInt64(effective) * 1000 + effective_ms AS t, toUInt64(received) * 1000 + received_ms AS rec "
                + "FROM readings FINAL WHERE tenant_id = ? AND patient_id = ?) GROUP BY code ORDER BY code";
        return query(sql, List.of(tenant.value(), patient.toString()));
    }

    /**
     * From readings_latest (ClickHouse V3), one aggregate state per patient and code, not from readings, where a page
     * of patients' rows is spread over nearly every granule (3.7 s for 100 patients on 10 million rows, against tens
     * of milliseconds). Without FINAL: a reading stored twice is the same value at the same time, so its copy cannot
     * change an argMax. Columns 1–16 are a {@link StoredReading}, then the patient.
     */
    @Override
    public Map<UUID, List<StoredReading>> latestFor(TenantId tenant, Collection<UUID> patients) {
        Map<UUID, List<StoredReading>> out = keyed(patients, ArrayList::new);
        if (out.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        out.keySet().forEach(p -> args.add(p.toString()));
        String sql = "SELECT code, argMaxMerge(panel), argMaxMerge(value), argMaxMerge(unit), intDiv(maxMerge(t), 1000), "
                + "toUInt16(maxMerge(t) % 1000), intDiv(argMaxMerge(rec), 1000), toUInt16(argMaxMerge(rec) % 1000), "
                + "argMaxMerge(device_id), argMaxMerge(source_format), argMaxMerge(content_hash), argMaxMerge(original_value), "
                + "argMaxMerge(original_unit), intDiv(argMaxMerge(dev), 1000), toUInt16(argMaxMerge(dev) % 1000), "
                + "argMaxMerge(flags), toString(patient_id) FROM readings_latest "
                + "WHERE tenant_id = ? AND patient_id IN (" + placeholders(out.size()) + ") GROUP BY patient_id, code "
                + "ORDER BY patient_id, code";
        select(sql, args, rs -> {
            out.get(UUID.fromString(rs.getString(17))).add(stored(rs));
            return null;
        });
        Map<UUID, List<StoredReading>> frozen = new LinkedHashMap<>();
        out.forEach((p, list) -> frozen.put(p, List.copyOf(list)));
        return Collections.unmodifiableMap(frozen);
    }

    /**
     * Without FINAL: a reading stored twice falls on the same day as its original. The bounds are whole seconds for
     * the sort key and exact to the millisecond in the second condition. ClickHouse finds the day in the zone from
     * the server's time zone files (tzdata), which follow daylight saving.
     */
    @Override
    public Map<UUID, Set<LocalDate>> readingDays(TenantId tenant, Collection<UUID> patients, Instant from, Instant to,
                                                 ZoneId zone) {
        Map<UUID, Set<LocalDate>> out = keyed(patients, TreeSet::new);
        if (out.isEmpty() || !from.isBefore(to)) {
            return freezeSets(out);
        }
        List<Object> args = new ArrayList<>();
        args.add(zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : zone.getId());
        args.add(tenant.value());
        out.keySet().forEach(p -> args.add(p.toString()));
        args.addAll(range(from, to));
        String sql = "SELECT DISTINCT toString(patient_id), toUInt16(toDate(effective, ?)) FROM readings "
                + "WHERE tenant_id = ? AND patient_id IN (" + placeholders(out.size()) + ") AND " + RANGE;
        select(sql, args, rs -> {
            out.get(UUID.fromString(rs.getString(1))).add(LocalDate.ofEpochDay(rs.getLong(2)));
            return null;
        });
        return freezeSets(out);
    }

    private static final int MAX_BUCKETS = 20_000;

    /**
     * Aggregated in ClickHouse, so only the buckets travel. Without FINAL, which would merge the patient's rows
     * before grouping: a reading stored twice (a redelivery the writer's check did not catch, until a background
     * merge removes the copy) repeats the same value at the same time, so a bucket's minimum and maximum are
     * exact and only its count and mean can lean towards that one value until the merge; a chart does not show
     * the difference, and the writer keeps such copies rare. The time bounds are in the sort key (tenant,
     * patient, code, effective), so ClickHouse reads only the granules of this patient's codes in the range.
     */
    @Override
    public List<Series> series(TenantId tenant, UUID patient, String code, Instant from, Instant to, Duration bucket) {
        long bucketS = bucket.getSeconds();
        if (bucketS < 1) {
            throw new IllegalArgumentException("A bucket must be at least one second long, not " + bucket + ".");
        }
        if (from.isBefore(to) && Duration.between(from, to).getSeconds() / bucketS > MAX_BUCKETS) {
            throw new IllegalArgumentException("Buckets of " + bucket + " from " + from + " to " + to + " would be more than "
                    + MAX_BUCKETS + " points per series; use longer buckets.");
        }
        VitalSign sign = VitalSign.byCode(code).orElse(null);
        List<String> codes = sign != null && sign.isPanel() ? sign.components() : List.of(code);
        Map<String, List<SeriesPoint>> points = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        codes.forEach(c -> points.put(c, new ArrayList<>()));
        if (from.isBefore(to)) {
            List<Object> args = new ArrayList<>(List.of(bucketS, bucketS, tenant.value(), patient.toString()));
            args.addAll(codes);
            args.addAll(range(from, to));
            String sql = "SELECT code, any(unit), intDiv(toUInt32(effective), ?) * ? AS b, min(value), max(value), avg(value), count() "
                    + "FROM readings WHERE tenant_id = ? AND patient_id = ? AND code IN (" + placeholders(codes.size()) + ") AND "
                    + RANGE + " GROUP BY code, b ORDER BY code, b";
            select(sql, args, rs -> {
                String c = rs.getString(1);
                units.putIfAbsent(c, rs.getString(2));
                points.get(c).add(new SeriesPoint(Instant.ofEpochSecond(rs.getLong(3)), rs.getDouble(4), rs.getDouble(5),
                        rs.getDouble(6), (int) rs.getLong(7)));
                return null;
            });
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<SeriesPoint>> e : points.entrySet()) {
            VitalSign component = VitalSign.byCode(e.getKey()).orElse(null);
            boolean optional = sign != null && sign.isPanel() && !sign.requiredComponents().contains(e.getKey());
            if (optional && e.getValue().isEmpty()) {
                continue;  // e.g. mean arterial pressure, which few cuffs report
            }
            String unit = units.getOrDefault(e.getKey(), component == null ? "" : component.unit());
            out.add(new Series(e.getKey(), unit, e.getValue()));
        }
        return List.copyOf(out);
    }

    /** {@code from <= effective < to}: whole seconds on the sort key's column, then exact to the millisecond. */
    private static final String RANGE = "effective >= toDateTime(?) AND effective <= toDateTime(?) "
            + "AND toUInt64(effective) * 1000 + effective_ms >= ? AND toUInt64(effective) * 1000 + effective_ms < ?";

    private static List<Object> range(Instant from, Instant to) {
        return List.of(from.getEpochSecond(), to.getEpochSecond(), from.toEpochMilli(), to.toEpochMilli());
    }

    private static <V> Map<UUID, V> keyed(Collection<UUID> patients, java.util.function.Supplier<V> empty) {
        Map<UUID, V> out = new LinkedHashMap<>();
        for (UUID p : patients) {
            out.putIfAbsent(p, empty.get());
        }
        return out;
    }

    private static Map<UUID, Set<LocalDate>> freezeSets(Map<UUID, Set<LocalDate>> sets) {
        Map<UUID, Set<LocalDate>> frozen = new LinkedHashMap<>();
        sets.forEach((p, days) -> frozen.put(p, Collections.unmodifiableSortedSet(new TreeSet<>(days))));
        return Collections.unmodifiableMap(frozen);
    }

    @Override
    public List<PeriodStatistic> statistics(TenantId tenant, Instant from, Instant to) {
        // Grouped over FINAL so a reading stored twice counts once; a unit per code is fixed by the edge (UCUM).
        String sql = "SELECT toString(patient_id), panel, code, any(unit), count(), min(value), max(value), avg(value) "
                + "FROM readings FINAL WHERE tenant_id = ? AND effective >= toDateTime(?) AND effective < toDateTime(?) "
                + "GROUP BY patient_id, panel, code ORDER BY patient_id, panel, code";
        try {
            ensureSchema();
            try (PreparedStatement ps = connections.connection().prepareStatement(sql)) {
                ps.setString(1, tenant.value());
                ps.setLong(2, from.getEpochSecond());
                ps.setLong(3, to.getEpochSecond());
                List<PeriodStatistic> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String panel = rs.getString(2);
                        out.add(new PeriodStatistic(UUID.fromString(rs.getString(1)), panel.isEmpty() ? rs.getString(3) : panel,
                                rs.getString(3), rs.getString(4), rs.getLong(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)));
                    }
                }
                return out;
            }
        } catch (SQLException | IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long count(TenantId tenant) {
        try {
            ensureSchema();
            try (PreparedStatement ps = connections.connection()
                    .prepareStatement("SELECT count() FROM readings FINAL WHERE tenant_id = ?")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        } catch (SQLException | IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void ping() {
        try {
            ensureSchema();
            try (Statement s = connections.connection().createStatement()) {
                s.executeQuery("SELECT 1 FROM readings LIMIT 1").close();
            }
        } catch (SQLException | IOException e) {
            throw unavailable(e);
        }
    }

    private static TelemetryUnavailableException unavailable(Exception e) {
        return new TelemetryUnavailableException("The telemetry store (ClickHouse) is unavailable: " + e.getMessage(), e);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private List<StoredReading> query(String sql, List<Object> args) {
        return select(sql, args, ClickHouseReadingStore::stored);
    }

    /** Columns 1–16 as {@link #SELECT} and {@link #latest} produce them. */
    private static StoredReading stored(ResultSet rs) throws SQLException {
        return new StoredReading(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4),
                Instant.ofEpochSecond(rs.getLong(5)).plusMillis(rs.getInt(6)),
                Instant.ofEpochSecond(rs.getLong(7)).plusMillis(rs.getInt(8)),
                rs.getString(9), rs.getString(10), rs.getString(11), rs.getDouble(12), rs.getString(13),
                Instant.ofEpochSecond(rs.getLong(14)).plusMillis(rs.getInt(15)), flags(rs.getString(16)));
    }

    private <T> List<T> select(String sql, List<Object> args, Row<T> row) {
        try {
            ensureSchema();
        } catch (SQLException | IOException e) {
            throw unavailable(e);
        }
        try (PreparedStatement ps = connections.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof String s) {
                    ps.setString(i + 1, s);
                } else {
                    ps.setLong(i + 1, ((Number) a).longValue());
                }
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static List<String> flags(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Position after the last item of a page: (effective ms, code, content hash), the table's sort order. */
    /** Where a page ended. Cursors of the oldest-first order keep the three fields they had before there was a choice. */
    record Cursor(long effectiveMs, String code, String hash, boolean newestFirst) {
        private static final String NEWEST = "newest";

        String encode() {
            String s = effectiveMs + "|" + code + "|" + hash + (newestFirst ? "|" + NEWEST : "");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String s, boolean newestFirst) {
            Cursor c;
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split("\\|", -1);
                boolean valid = (p.length == 3 || p.length == 4 && p[3].equals(NEWEST)) && p[2].matches("[0-9a-f]{32}");
                if (!valid) {
                    throw new IllegalArgumentException("bad cursor");
                }
                c = new Cursor(Long.parseLong(p[0]), p[1], p[2], p.length == 4);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Cursor '" + s + "' was not issued by this API; start again without one.");
            }
            if (c.newestFirst != newestFirst) {
                throw new IllegalArgumentException("Cursor '" + s + "' continues the " + (c.newestFirst ? "newest" : "oldest")
                        + "-first order; ask in that order, or start again without a cursor.");
            }
            return c;
        }
    }
}
