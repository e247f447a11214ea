package org.vigil.alerting.notify;

import java.util.UUID;

/**
 * One message to one destination, as the outbox hands it to a {@link Channel} for each attempt.
 *
 * @param id          the same for every attempt at this message, so receivers can drop duplicates
 * @param channel     {@code "email"} or {@code "webhook"}
 * @param destination an e-mail address, or an http/https URL
 * @param contentType the webhook body's media type; e-mail is always sent as UTF-8 plain text
 */
public record Notification(String tenant, UUID id, String channel, String destination,
                           String subject, String body, String contentType) {
}
