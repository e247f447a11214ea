package org.vigil.alerting.notify;

/**
 * A way of delivering a {@link Notification}. The outbox calls {@link #send} once per attempt and records the
 * outcome, so an implementation never throws and never blocks beyond its configured timeouts: a stuck receiver
 * must not stall the delivery of everyone else's alerts.
 */
public interface Channel {
    /** The {@link Notification#channel()} this delivers. */
    String name();

    Attempt send(Notification n);
}
