package org.vigil.app;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.PublishOptions;
import org.vigil.core.ContentHash;
import org.vigil.core.Measurement;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A device's side of the wire: publishes canonical JSON on its tenant's subject, as real hubs do. */
public final class Devices implements AutoCloseable {
    private final Connection nats;
    private final JetStream js;
    private final TenantId tenant;

    public Devices(String tenant) throws Exception {
        this.nats = Nats.connect(StackEnv.natsUrl());
        this.js = nats.jetStream();
        this.tenant = new TenantId(tenant);
    }

    public PublishAck weight(String device, double kg, Instant effective) throws Exception {
        String json = "{\"device\":\"" + device + "\",\"code\":\"29463-7\",\"value\":" + kg
                + ",\"unit\":\"kg\",\"effective\":\"" + effective + "\"}";
        return publish(device, json, ContentHash.of(tenant, device, "29463-7", effective,
                List.of(new Measurement("29463-7", kg, "kg"))));
    }

    public PublishAck bloodPressure(String device, int systolic, int diastolic, Instant effective) throws Exception {
        String json = "{\"device\":\"" + device + "\",\"code\":\"85354-9\",\"effective\":\"" + effective
                + "\",\"components\":[{\"code\":\"8480-6\",\"value\":" + systolic + ",\"unit\":\"mm[Hg]\"},"
                + "{\"code\":\"8462-4\",\"value\":" + diastolic + ",\"unit\":\"mm[Hg]\"}]}";
        return publish(device, json, ContentHash.of(tenant, device, "85354-9", effective,
                List.of(new Measurement("8480-6", systolic, "mm[Hg]"), new Measurement("8462-4", diastolic, "mm[Hg]"))));
    }

    /**
     * Publishes {@code count} weights one minute apart from {@code start}, asynchronously (as hubs do) with the
     * content hash as message id, and waits for every acknowledgement.
     */
    public void publishWeights(String device, int count, Instant start) {
        List<CompletableFuture<PublishAck>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant eff = start.plusSeconds(60L * i);
            double kg = 70 + (i % 100) / 10.0;
            String json = "{\"device\":\"" + device + "\",\"code\":\"29463-7\",\"value\":" + kg
                    + ",\"unit\":\"kg\",\"effective\":\"" + eff + "\"}";
            String id = ContentHash.of(tenant, device, "29463-7", eff, List.of(new Measurement("29463-7", kg, "kg")));
            inFlight.add(js.publishAsync(Subjects.ingest(tenant, Subjects.CANONICAL_FORMAT, device),
                    json.getBytes(StandardCharsets.UTF_8), PublishOptions.builder().messageId(id).build()));
            if (inFlight.size() == 2_000 || i == count - 1) {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                inFlight.clear();
            }
        }
    }

    /** Publishes raw bytes, e.g. malformed JSON, with the given message id (null: none). */
    public PublishAck publish(String device, String payload, String msgId) throws Exception {
        PublishOptions.Builder o = PublishOptions.builder();
        if (msgId != null) {
            o.messageId(msgId);
        }
        return js.publish(Subjects.ingest(tenant, Subjects.CANONICAL_FORMAT, device),
                payload.getBytes(StandardCharsets.UTF_8), o.build());
    }

    /** Publishes a payload of any format on {@code vigil.<tenant>.ingest.<format>.<device>}. */
    public PublishAck publish(String format, String device, byte[] payload, String msgId) throws Exception {
        PublishOptions.Builder o = PublishOptions.builder();
        if (msgId != null) {
            o.messageId(msgId);
        }
        return js.publish(Subjects.ingest(tenant, format, device), payload, o.build());
    }

    @Override
    public void close() throws InterruptedException {
        nats.close();
    }
}
