package org.vigil.alerting.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alert e-mail through a real SMTP server (GreenMail, in-process), and through servers that fail in the ways real ones do. */
class EmailChannelTest {
    private static final String TENANT = "tenant-" + UUID.randomUUID();
    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration READ = Duration.ofMillis(300);

    private GreenMail greenMail;
    private int port;

    @BeforeEach
    void startSmtp() throws IOException {
        port = freePort();
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    @AfterEach
    void stopSmtp() {
        greenMail.stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static EmailChannel channel(int port, String username, String password) {
        return new EmailChannel(new SmtpSettings("127.0.0.1", port, "Vigil alerts <alerts@vigil.test>", false,
                username, password, CONNECT, READ));
    }

    private static Notification mail(String to) {
        return new Notification(TENANT, UUID.randomUUID(), "email", to, "Blutdruck hoch – Zimmer 3 ⚠",
                "Systolisch 182 mm[Hg] um 08:14 UTC.\nBitte prüfen.", "text/plain");
    }

    @Test
    void deliversPlainUtf8TextToTheRecipient() throws Exception {
        Notification n = mail("nurse.ward3@clinic.test");

        Attempt a = channel(port, null, null).send(n);

        assertTrue(assertInstanceOf(Attempt.Delivered.class, a).detail().startsWith("250"), a.toString());
        assertTrue(greenMail.waitForIncomingEmail(2000, 1));
        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertEquals(n.subject(), m.getSubject());
        assertEquals(n.body(), ((String) m.getContent()).replace("\r\n", "\n"));
        assertTrue(m.getContentType().matches("(?i)text/plain;\\s*charset=utf-8"), m.getContentType());
        assertArrayEquals(new InternetAddress[]{new InternetAddress("nurse.ward3@clinic.test")}, m.getRecipients(Message.RecipientType.TO));
        assertEquals("alerts@vigil.test", ((InternetAddress) m.getFrom()[0]).getAddress());
        assertEquals(n.id().toString(), m.getHeader("Vigil-Delivery", null));
    }

    @Test
    void nothingListeningFailsRetryablyAtOnce() throws IOException {
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel(freePort(), null, null).send(mail("a@clinic.test")));

        assertTrue(f.retryable());
        assertTrue(f.error().startsWith("Could not connect to the SMTP server 127.0.0.1:"), f.error());
        assertTrue(f.took().compareTo(CONNECT) < 0, f.took().toString());
    }

    /** The kernel completes the TCP handshake for a listening socket whether or not anyone accepts or speaks. */
    @Test
    void aServerThatNeverAnswersFailsRetryablyWithinTheReadTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Attempt.Failed f = assertInstanceOf(Attempt.Failed.class,
                    channel(silent.getLocalPort(), null, null).send(mail("a@clinic.test")));

            assertTrue(f.retryable());
            assertEquals("The SMTP server 127.0.0.1:" + silent.getLocalPort() + " did not answer within 300 ms.", f.error());
            assertTrue(f.took().compareTo(READ) >= 0 && f.took().compareTo(READ.plusSeconds(1)) < 0, f.took().toString());
        }
    }

    @Test
    void wrongCredentialsAreRefusedForGood() {
        greenMail.setUser("alerts@vigil.test", "alerts", "the-right-one");

        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel(port, "alerts", "a-wrong-one").send(mail("a@clinic.test")));

        assertEquals(false, f.retryable(), f.error());
        assertTrue(f.error().contains("refused the e-mail: 535"), f.error());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void theRightCredentialsDeliver() {
        greenMail.setUser("alerts@vigil.test", "alerts", "the-right-one");
        assertInstanceOf(Attempt.Delivered.class, channel(port, "alerts", "the-right-one").send(mail("a@clinic.test")));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "nurse", "nurse@", "two@at@clinic.test", "a b@clinic.test"})
    void refusesWhatIsNotAnAddress(String to) {
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel(port, null, null).send(mail(to)));
        assertEquals(new Attempt.Failed("'" + to + "' is not an e-mail address, so no e-mail can be sent to it.", false, f.took()), f);
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    /** GreenMail accepts every recipient; this server answers RCPT as a real one may. */
    @ParameterizedTest(name = "RCPT answered ''{0}'' → retryable {1}")
    @CsvSource(delimiter = '|', value = {
            "450 4.2.1 Mailbox busy, try again later        | true",
            "451 4.3.0 Temporary lookup failure              | true",
            "452 4.2.2 Mailbox full                          | true",
            "550 5.1.1 No such user here                     | false",
            "553 5.1.3 Relaying denied                       | false",
            "554 5.7.1 Rejected by policy                    | false",
    })
    void classifiesARefusedRecipient(String reply, boolean retryable) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> refuseRecipients(socket, reply));
            server.setDaemon(true);
            server.start();

            Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel(socket.getLocalPort(), null, null).send(mail("a@clinic.test")));

            assertEquals(retryable, f.retryable(), f.error());
            assertTrue(f.error().contains(reply), f.error());
            server.join(2000);
        }
    }

    private static void refuseRecipients(ServerSocket socket, String rcptReply) {
        try (Socket s = socket.accept();
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
             PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            out.print("220 refusing.test ESMTP\r\n");
            out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
                out.print((verb.equals("RCPT") ? rcptReply : verb.equals("QUIT") ? "221 bye" : "250 ok") + "\r\n");
                out.flush();
                if (verb.equals("QUIT")) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away: nothing left to answer
        }
    }
}
