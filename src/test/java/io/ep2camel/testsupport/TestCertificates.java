package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test PKI made with the JDK's keytool (no certificate library needed): a CA, a server
 * certificate for 127.0.0.1/localhost, a client certificate, both signed by the CA. Written as
 * the files Consul operators have: PEM CA, PEM client certificate, PEM client key (mode 600),
 * and the server's PKCS#12 key store for the double.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    public final Path dir;
    public final Path caPem;
    public final Path serverP12;
    public final Path clientCertPem;
    /** PKCS#8 "PRIVATE KEY" */
    public final Path clientKeyPem;
    public final String keyAlg;

    private TestCertificates(Path dir, String keyAlg) {
        this.dir = dir;
        this.keyAlg = keyAlg;
        this.caPem = dir.resolve("ca.pem");
        this.serverP12 = dir.resolve("server.p12");
        this.clientCertPem = dir.resolve("client.pem");
        this.clientKeyPem = dir.resolve("client-key.pem");
    }

    /** @param keyAlg RSA or EC: the client's key (the CA and server use the same algorithm) */
    public static TestCertificates create(Path dir, String keyAlg) {
        TestCertificates c = new TestCertificates(dir, keyAlg);
        try {
            Files.createDirectories(dir);
            c.genKeyPair("ca.p12", "ca", "CN=ep2 test CA", "-ext", "bc:c");
            c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-file", "ca.pem");
            c.signed("server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth");
            c.signed("client", "CN=ep2-camel", null, "EKU=clientAuth");
            KeyStore client = load(dir.resolve("client.p12"));
            Files.writeString(c.clientCertPem, pem("CERTIFICATE", client.getCertificate("client").getEncoded()));
            Key key = client.getKey("client", PASSWORD.toCharArray());
            Files.writeString(c.clientKeyPem, pem("PRIVATE KEY", key.getEncoded()));
            Files.setPosixFilePermissions(c.clientKeyPem, PosixFilePermissions.fromString("rw-------"));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair in NAME.p12 whose certificate the CA signed (chain: NAME, CA). */
    private void signed(String name, String dn, String san, String eku) throws IOException, GeneralSecurityException {
        genKeyPair(name + ".p12", name, dn);
        keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-storepass", PASSWORD, "-infile", name + ".csr", "-outfile", name + ".crt", "-validity", "2", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        KeyStore ks = load(dir.resolve(name + ".p12"));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate signedCert;
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".crt"))) {
            signedCert = cf.generateCertificate(in);
        }
        Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = cf.generateCertificate(in);
        }
        ks.setKeyEntry(name, (PrivateKey) ks.getKey(name, PASSWORD.toCharArray()), PASSWORD.toCharArray(),
                new Certificate[] {signedCert, ca});
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".p12"))) {
            ks.store(out, PASSWORD.toCharArray());
        }
    }

    private void genKeyPair(String store, String alias, String dn, String... extra) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", keyAlg,
                "-keysize", keyAlg.equals("EC") ? "256" : "2048", "-dname", dn, "-validity", "2",
                "-keystore", store, "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        args.addAll(List.of(extra));
        keytool(args.toArray(String[]::new));
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path p12) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The double's server side: its certificate, and the CA its clients' certificates must chain to. */
    public SSLContext serverContext() {
        try {
            KeyStore server = load(serverP12);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(server, PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", load(dir.resolve("ca.p12")).getCertificate("ca"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
