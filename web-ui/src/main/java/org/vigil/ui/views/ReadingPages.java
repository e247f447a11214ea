package org.vigil.ui.views;

import com.vaadin.flow.data.provider.Query;
import org.vigil.core.TenantId;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.StoredReading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The readings of a window for a lazily scrolled grid, newest first, as a care team reads them. The store pages with
 * cursors, not offsets, so pages are read in order as the grid scrolls and kept; the grid never asks for more than
 * it shows.
 */
final class ReadingPages {
    private static final int PAGE = 200;
    private final ReadingHistory history;
    private final TenantId tenant;
    private final UUID patient;
    private final Instant from;
    private final Instant to;
    private final List<StoredReading> loaded = new ArrayList<>();
    private String next;
    private boolean done;

    ReadingPages(ReadingHistory history, TenantId tenant, UUID patient, Instant from, Instant to) {
        this.history = history;
        this.tenant = tenant;
        this.patient = patient;
        this.from = from;
        this.to = to;
    }

    Stream<StoredReading> fetch(Query<StoredReading, Void> q) {
        int want = q.getOffset() + q.getLimit();
        while (loaded.size() < want && !done) {
            ReadingPage page = history.readings(tenant, patient, from, to, null, ReadingHistory.Order.NEWEST_FIRST, next, PAGE);
            loaded.addAll(page.items());
            next = page.next();
            done = next == null;
        }
        int start = Math.min(q.getOffset(), loaded.size());
        return loaded.subList(start, Math.min(want, loaded.size())).stream();
    }
}
