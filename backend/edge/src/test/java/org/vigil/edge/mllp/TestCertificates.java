package org.vigil.edge.mllp;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Throwaway PKCS12 key and trust stores for a server and a client, made with the JDK's keytool: the server's
 * truststore holds the client's certificate and the client's holds the server's.
 */
record TestCertificates(Path serverKeystore, Path serverTruststore, Path clientKeystore, Path clientTruststore) {
    static final String PASSWORD = "changeit";

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir.resolve("server.p12"), dir.resolve("server-trust.p12"),
                dir.resolve("client.p12"), dir.resolve("client-trust.p12"));
        keyPair(c.serverKeystore, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair(c.clientKeystore, "client", "CN=gateway-0123456789ABCDEF", null);
        trust(c.serverKeystore, "server", dir.resolve("server.crt"), c.clientTruststore);
        trust(c.clientKeystore, "client", dir.resolve("client.crt"), c.serverTruststore);
        return c;
    }

    /** A client context presenting the client certificate (or none) and trusting the server's. */
    SSLContext clientContext(boolean presentCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(clientTruststore));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(clientKeystore), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(presentCertificate ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keyPair(Path store, String alias, String dname, String san) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
    }

    private static void trust(Path keystore, String alias, Path certificate, Path truststore) throws IOException, InterruptedException {
        keytool(List.of("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", certificate.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + args.get(0) + " failed: " + output);
        }
    }
}
