package org.vigil.alerting.notify;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.MailConnectException;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/**
 * Hands a plain-text UTF-8 e-mail to one SMTP server, over a connection of its own per attempt. SMTP answers say
 * whether to try again: 4xx is a deferral (try later), 5xx a refusal (retrying cannot help).
 */
public final class EmailChannel implements Channel {
    private final SmtpSettings settings;
    private final InternetAddress from;
    private final Session session;
    private final String server;

    public EmailChannel(SmtpSettings settings) {
        this.settings = settings;
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("from: '" + settings.from() + "' is not an e-mail address (" + e.getMessage() + ").", e);
        }
        String connect = Long.toString(settings.connectTimeout().toMillis());
        String read = Long.toString(settings.readTimeout().toMillis());
        String tls = Boolean.toString(settings.startTls());
        Properties p = new Properties();
        // Jakarta Mail waits forever by default: one silent server would hold the outbox's worker indefinitely.
        p.setProperty("mail.smtp.connectiontimeout", connect);
        p.setProperty("mail.smtp.timeout", read);
        p.setProperty("mail.smtp.writetimeout", read);
        p.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
        p.setProperty("mail.smtp.starttls.enable", tls);
        p.setProperty("mail.smtp.starttls.required", tls);
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        this.session = Session.getInstance(p);
        this.server = "SMTP server " + settings.host() + ":" + settings.port();
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public Attempt send(Notification n) {
        Stopwatch watch = Stopwatch.start();
        InternetAddress to;
        try {
            to = new InternetAddress(Objects.requireNonNullElse(n.destination(), ""), true);
        } catch (AddressException e) {
            return watch.failed("'" + n.destination() + "' is not an e-mail address, so no e-mail can be sent to it.", false);
        }
        SMTPTransport transport = null;
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, to);
            message.setSubject(n.subject(), StandardCharsets.UTF_8.name());
            message.setText(n.body(), StandardCharsets.UTF_8.name());
            message.setHeader(WebhookChannel.DELIVERY_HEADER, String.valueOf(n.id()));
            transport = (SMTPTransport) session.getTransport("smtp");
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            transport.sendMessage(message, new Address[]{to});
            return watch.delivered(transport.getLastServerResponse().strip());
        } catch (MessagingException e) {
            return failure(e, transport, watch);
        } catch (RuntimeException e) {
            return watch.failed("Sending e-mail through the " + server + " failed unexpectedly: " + e + ".", false);
        } finally {
            close(transport);
        }
    }

    private Attempt.Failed failure(MessagingException e, SMTPTransport transport, Stopwatch watch) {
        if (e instanceof MailConnectException) {
            return watch.failed("Could not connect to the " + server + ": " + Causes.root(e) + ".", true);
        }
        IOException io = Causes.find(e, IOException.class);
        if (io instanceof SocketTimeoutException) {
            return watch.failed("The " + server + " did not answer within " + settings.readTimeout().toMillis() + " ms.", true);
        }
        if (io != null) {
            return watch.failed("The connection to the " + server + " failed: " + Causes.root(io) + ".", true);
        }
        String reply = serverReply(e, transport);
        if (reply.startsWith("4")) {
            return watch.failed("The " + server + " deferred the e-mail: " + reply + ". A later attempt may succeed.", true);
        }
        if (reply.startsWith("5")) {
            return watch.failed("The " + server + " refused the e-mail: " + reply + ". Not retrying.", false);
        }
        return watch.failed("Sending e-mail through the " + server + " failed: " + e.getMessage() + ".", false);
    }

    /** The SMTP reply the failure stems from, e.g. "550 5.1.1 no such user", or "" when there was none. */
    private static String serverReply(MessagingException e, SMTPTransport transport) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SMTPAddressFailedException || c instanceof SMTPSenderFailedException
                    || c instanceof SMTPSendFailedException) {
                return c.getMessage().strip();
            }
        }
        // Refusals outside the envelope (greeting, AUTH, STARTTLS) are only kept as the transport's last reply.
        if (transport != null && transport.getLastReturnCode() >= 400) {
            String last = transport.getLastServerResponse();
            return last == null ? "" : last.strip();
        }
        return "";
    }

    /** Once the server has accepted the message it is delivered, whatever becomes of the QUIT. */
    private static void close(SMTPTransport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the attempt's outcome is already decided
            }
        }
    }
}
