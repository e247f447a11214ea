package org.vigil.sandbox.auth;

/** A token request refused with an RFC 6749 §5.2 error. */
public final class OAuthException extends Exception {

    private final String error;
    private final int status;

    public OAuthException(String error, String description) {
        super(description);
        this.error = error;
        // RFC 6749 §5.2: a failed client authentication may answer 401; everything else is a 400
        this.status = "invalid_client".equals(error) ? 401 : 400;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
