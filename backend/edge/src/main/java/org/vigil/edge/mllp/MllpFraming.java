package org.vigil.edge.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;

/**
 * MLLP (HL7 v2's minimal lower layer protocol): each message is framed as {@code <VT> message <FS><CR>}. Reading is
 * lenient where senders are sloppy: bytes between frames are skipped, a missing CR after FS is tolerated, and a
 * new VT inside a frame starts the frame over (the sender gave up on the previous one).
 */
public final class MllpFraming {
    static final int START_BLOCK = 0x0b;
    static final int END_BLOCK = 0x1c;
    static final int CARRIAGE_RETURN = 0x0d;

    /** A frame longer than the limit; its first {@code limit} bytes are kept (the rest was read and dropped). */
    public static final class TooLarge extends IOException {
        private final transient byte[] head;

        TooLarge(byte[] head) {
            super("MLLP frame larger than " + head.length + " bytes", null);
            this.head = head;
        }

        byte[] head() {
            return head;
        }
    }

    private MllpFraming() {
    }

    /** The next message, or null when the stream ends (a frame cut off by the end of the stream is dropped). */
    public static byte[] read(PushbackInputStream in, int maxBytes) throws IOException {
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return null;
            }
        } while (b != START_BLOCK);
        ByteArrayOutputStream message = new ByteArrayOutputStream(1024);
        boolean tooLarge = false;
        while (true) {
            b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == START_BLOCK) {
                message.reset();
                tooLarge = false;
            } else if (b == END_BLOCK) {
                // Only look at what has arrived: a sender that omits the CR waits for the ACK before sending more,
                // and a CR that comes late is skipped as noise before the next frame.
                if (in.available() > 0) {
                    int next = in.read();
                    if (next != CARRIAGE_RETURN) {
                        in.unread(next);
                    }
                }
                if (tooLarge) {
                    throw new TooLarge(message.toByteArray());
                }
                return message.toByteArray();
            } else if (message.size() < maxBytes) {
                message.write(b);
            } else {
                tooLarge = true;
            }
        }
    }

    public static void write(OutputStream out, byte[] message) throws IOException {
        out.write(START_BLOCK);
        out.write(message);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
    }
}
