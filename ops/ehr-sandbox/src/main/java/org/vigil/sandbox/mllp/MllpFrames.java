package org.vigil.sandbox.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;

/** MLLP framing: {@code <VT> message <FS><CR>}. */
public final class MllpFrames {

    public static final int START = 0x0B;
    public static final int END = 0x1C;
    public static final int CR = 0x0D;
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final PushbackInputStream in;

    public MllpFrames(InputStream in) {
        this.in = new PushbackInputStream(in, 1);
    }

    /** The next frame's content, or null when the peer closed the connection (mid-frame included). */
    public byte[] next() throws IOException {
        int b;
        do {
            b = in.read();
            if (b == -1) {
                return null;
            }
        } while (b != START);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while (true) {
            b = in.read();
            if (b == -1) {
                return null;
            }
            if (b == END) {
                int cr = in.read();
                if (cr != CR && cr != -1) {
                    // lenient about a missing CR; the byte may already start the next frame
                    in.unread(cr);
                }
                return frame.toByteArray();
            }
            if (b == START) {
                // a new frame before this one ended: the sender gave up on it, so does the receiver
                frame.reset();
                continue;
            }
            frame.write(b);
            if (frame.size() > MAX_FRAME) {
                throw new IOException("MLLP frame larger than " + MAX_FRAME + " bytes");
            }
        }
    }

    public static void write(OutputStream out, byte[] message) throws IOException {
        out.write(START);
        out.write(message);
        out.write(END);
        out.write(CR);
        out.flush();
    }
}
