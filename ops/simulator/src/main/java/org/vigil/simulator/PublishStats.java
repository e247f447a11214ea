package org.vigil.simulator;

import java.util.List;

/**
 * What a publish run achieved.
 *
 * @param published  messages taken from the source and sent at least once
 * @param acked      messages the stream acknowledged, duplicates included
 * @param duplicates acks that said the stream already had the message (same Nats-Msg-Id within its window);
 *                   a retry after a lost ack also lands here
 * @param failed     messages that still failed after every attempt: never silently dropped, reported here
 * @param retries    extra attempts made
 * @param failures   the first few failures, "msgId subject: reason"
 */
public record PublishStats(long published, long acked, long duplicates, long failed, long retries,
                           double elapsedSeconds, List<String> failures) {

    public PublishStats {
        failures = List.copyOf(failures);
    }

    public double ackedPerSecond() {
        return elapsedSeconds > 0 ? acked / elapsedSeconds : 0;
    }

    public String summary() {
        return "published=" + published + " acked=" + acked + " dup=" + duplicates + " failed=" + failed
                + " retries=" + retries + " elapsed=" + Math.round(elapsedSeconds * 10) / 10.0 + "s rate="
                + Math.round(ackedPerSecond()) + "/s";
    }
}
