package org.vigil.alerting.notify;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Where alert e-mail is handed over.
 *
 * @param startTls       when true the connection must be upgraded to TLS (and the server's name checked) before
 *                       anything is sent: never fall back to plain text
 * @param username       null to send without authenticating
 * @param readTimeout    how long to wait for any one answer or write of the SMTP dialogue
 */
public record SmtpSettings(String host, int port, String from, boolean startTls, @Nullable String username,
                           @Nullable String password, Duration connectTimeout, Duration readTimeout) {
    public SmtpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must be set.");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " must be between 1 and 65535.");
        }
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("from: must be set.");
        }
        requireMillis("connectTimeout", connectTimeout);
        requireMillis("readTimeout", readTimeout);
    }

    // Jakarta Mail takes whole milliseconds, and reads 0 as "wait forever".
    private static void requireMillis(String field, Duration d) {
        if (d == null || d.toMillis() < 1 || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(field + ": " + d + " must be between 1 ms and 10 minutes.");
        }
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", from=" + from + ", startTls=" + startTls
                + ", username=" + username + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
