package org.vigil.alerting.notify;

/** Reading exception chains: both mail and HTTP clients wrap the socket error that says what actually happened. */
final class Causes {
    private Causes() {
    }

    /** The first exception of {@code type} in the chain of {@code e}, or null. */
    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** The innermost message, e.g. "Connection refused", or the exception's name where nobody wrote one. */
    static String root(Throwable e) {
        String message = e.getClass().getSimpleName();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message;
    }
}
