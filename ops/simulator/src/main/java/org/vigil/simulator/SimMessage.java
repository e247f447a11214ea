package org.vigil.simulator;

import org.vigil.core.DeviceReading;

/**
 * One message as a device would publish it.
 *
 * @param msgId   the JetStream {@code Nats-Msg-Id}: the reading's {@link org.vigil.core.ContentHash}
 * @param payload canonical JSON of {@code reading}, or deliberately broken bytes for an injected fault
 * @param reading what the payload encodes; {@code null} when the payload is malformed on purpose
 */
public record SimMessage(String subject, String msgId, byte[] payload, DeviceReading reading) {
}
