package org.vigil.simulator;

/** The command line was wrong; the CLI prints the message and the usage and exits with 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
