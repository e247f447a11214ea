package org.vigil.ehr.internal;

import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.ehr.Summaries;
import org.vigil.ehr.SummaryItem;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Summary items into the outbox, keyed by period so a summary is produced once. */
@Singleton
class OutboxSummarySink implements Summaries.SummarySink {
    private final ObjectMapper json;
    private final Clock clock;
    private final DispatchSignal signal;

    OutboxSummarySink(ObjectMapper json, Clock clock, DispatchSignal signal) {
        this.json = json;
        this.clock = clock;
        this.signal = signal;
    }

    @Override
    public int add(Connection c, TenantId tenant, String endpoint, Map<UUID, SummaryItem> items) throws SQLException, IOException {
        List<Outbox.NewItem> rows = new ArrayList<>();
        for (Map.Entry<UUID, SummaryItem> e : items.entrySet()) {
            rows.add(new Outbox.NewItem(endpoint, e.getKey(), "summary", e.getValue().key(e.getKey()), json.writeValueAsString(e.getValue())));
        }
        int added = Outbox.add(c, tenant, rows, clock.instant());
        signal.wake(tenant);
        return added;
    }
}
