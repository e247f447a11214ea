package org.vigil.edge.mllp;

import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.hl7.Eui64;
import org.vigil.normalize.hl7.MshHeader;

/**
 * The device token of the ingest subject for an HL7 message: the sending gateway (MSH-3), by its EUI-64 when it
 * gives one ({@code AcmeInc^ACDE48234567ABCD^EUI-64}), else its namespace id. Readings name their own devices;
 * this only groups a gateway's messages on the stream.
 */
final class SenderToken {
    static final String UNKNOWN = "unknown";

    private SenderToken() {
    }

    static String of(@Nullable MshHeader msh) {
        if (msh == null) {
            return UNKNOWN;
        }
        String eui = Eui64.ofHd(msh.component(3, 1), msh.component(3, 2), msh.component(3, 3));
        if (eui != null) {
            return eui;
        }
        String namespace = msh.component(3, 1).strip();
        String universal = msh.component(3, 2).strip();
        String token = !namespace.isEmpty() ? namespace : universal;
        return token.isEmpty() ? UNKNOWN : token.length() > 64 ? token.substring(0, 64) : token;
    }
}
