package org.vigil.ehr.hl7;

/** What came back is not an HL7 v2 acknowledgement; the message says why and shows the start of it. */
public class NotAnAckException extends IllegalArgumentException {
    private static final int SHOWN = 120;

    public NotAnAckException(String reason, String received) {
        super("Not an HL7 acknowledgement: " + reason + " Received: \"" + shown(received) + "\"");
    }

    private static String shown(String received) {
        String printable = received.replace("\r", "\\r").replace("\n", "\\n").replace("\u000b", "<VT>").replace("\u001c", "<FS>");
        return printable.length() <= SHOWN ? printable : printable.substring(0, SHOWN) + "…";
    }
}
