package org.vigil.sandbox;

import org.vigil.sandbox.mllp.MllpFrames;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** A bare MLLP sender, as the connector's would be: frames out, frames in. */
final class MllpClient implements AutoCloseable {

    private final Socket socket;
    private final MllpFrames frames;
    private final OutputStream out;

    private MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.frames = new MllpFrames(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static MllpClient plain(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new MllpClient(socket);
    }

    /** TLS trusting exactly {@code certificatePem}, with host name verification as a careful client does. */
    static MllpClient tls(int port, String certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sandbox", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new MllpClient(socket);
    }

    void send(String message) throws IOException {
        MllpFrames.write(out, message.getBytes(StandardCharsets.UTF_8));
    }

    /** The next ACK; SocketTimeoutException when none comes within the read timeout. */
    String receive() throws IOException {
        byte[] frame = frames.next();
        return frame == null ? null : new String(frame, StandardCharsets.UTF_8);
    }

    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
