package org.vigil.alerting.internal;

import io.micronaut.core.annotation.Nullable;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.vigil.alerting.AlertingSettings;
import org.vigil.registry.TenantScope;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the evaluator's committed position ({@code stream_positions}) is behind the readings stream, whichever
 * process evaluates: one PostgreSQL read and one or two JetStream API requests (stream state, and the stored time of
 * the first message not yet evaluated). Answers are kept for a second, so many boards polling cost the same as one.
 * The NATS connection is made on first use: processes that never ask hold none.
 */
@Singleton
public class StreamLag {
    private static final Duration KEEP = Duration.ofSeconds(1);

    /**
     * @param oldestPendingAt when the first reading not yet evaluated was stored on the stream; null when caught up
     */
    public record Lag(long position, long streamLast, Instant positionUpdatedAt, @Nullable Instant oldestPendingAt, Instant at) {
    }

    private final AlertingSettings settings;
    private final TenantScope scope;
    private final Clock clock;
    private Connection nats;
    private Lag last;

    public StreamLag(AlertingSettings settings, TenantScope scope, Clock clock) {
        this.settings = settings;
        this.scope = scope;
        this.clock = clock;
    }

    /** Empty until the evaluator has a position, and while NATS cannot answer. */
    public synchronized Optional<Lag> now() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.at().plus(KEEP))) {
            return Optional.of(last);
        }
        Optional<long[]> committed = committed();
        if (committed.isEmpty()) {
            return Optional.empty();
        }
        long position = committed.get()[0];
        Instant updated = Instant.ofEpochMilli(committed.get()[1]);
        try {
            JetStreamManagement jsm = connection().jetStreamManagement();
            StreamState state = jsm.getStreamInfo(settings.stream()).getStreamState();
            Instant oldest = null;
            if (state.getLastSequence() > position) {
                // The stream may no longer hold the next message (limits removed it): its oldest is then the one.
                long next = Math.max(position + 1, state.getFirstSequence());
                try {
                    MessageInfo m = jsm.getMessage(settings.stream(), next);
                    oldest = m.getTime() == null ? null : m.getTime().toInstant();
                } catch (JetStreamApiException e) {
                    oldest = state.getFirstTime() == null ? null : state.getFirstTime().toInstant();
                }
            }
            last = new Lag(position, state.getLastSequence(), updated, oldest, now);
            return Optional.of(last);
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    private Optional<long[]> committed() {
        return scope.writeAcrossTenants(b -> {
            try (PreparedStatement ps = b.bind(TenantScope.PLATFORM).prepareStatement(
                    "SELECT effects_seq, updated_at FROM stream_positions WHERE consumer = ?")) {
                ps.setString(1, settings.consumer());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new long[]{rs.getLong(1), rs.getTimestamp(2).getTime()}) : Optional.<long[]>empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private Connection connection() throws IOException, InterruptedException {
        if (nats == null) {
            nats = Nats.connect(Options.builder().server(settings.natsUrl()).connectionName("vigil-circuit-status")
                    .maxReconnects(-1).connectionTimeout(Duration.ofSeconds(2)).build());
        }
        return nats;
    }

    @PreDestroy
    synchronized void close() throws InterruptedException {
        if (nats != null) {
            nats.close();
        }
    }
}
