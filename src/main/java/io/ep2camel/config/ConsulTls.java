package io.ep2camel.config;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * TLS to the Consul agent from the files the consul CLI takes: CA certificates (ca_file, every
 * file of ca_path) that replace the JVM's trust store, and a client certificate with its key
 * (cert_file, key_file) for agents with {@code verify_incoming}. PEM only, as Consul writes them;
 * keys RSA or EC, as PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY",
 * what {@code consul tls cert create} writes). Built with the JDK alone: no PEM library needed.
 * Messages name the file, never its content.
 */
public final class ConsulTls {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final X509TrustManager trustManager;

    private final boolean clientCertificate;

    private ConsulTls(SSLContext context, X509TrustManager trustManager, boolean clientCertificate) {
        this.context = context;
        this.trustManager = trustManager;
        this.clientCertificate = clientCertificate;
    }

    public boolean hasClientCertificate() {
        return clientCertificate;
    }

    public SSLContext context() {
        return context;
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Empty when nothing is configured: the JVM's defaults (trust store, no client certificate). */
    public static Optional<ConsulTls> from(Optional<Path> caFile, Optional<Path> caPath, Optional<Path> certFile,
                                           Optional<Path> keyFile) {
        if (caFile.isEmpty() && caPath.isEmpty() && certFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            List<Certificate> cas = new ArrayList<>();
            if (caFile.isPresent()) {
                cas.addAll(certificates(caFile.get()));
            }
            if (caPath.isPresent()) {
                try (Stream<Path> files = Files.list(caPath.get())) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        cas.addAll(certificates(f));
                    }
                }
            }
            if (cas.isEmpty()) {
                tmf.init((KeyStore) null); // client certificate only: the JVM's trust store for the agent's
            } else {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf.init(trust);
            }
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            KeyManagerFactory kmf = null;
            if (certFile.isPresent()) {
                List<Certificate> chain = certificates(certFile.get());
                PrivateKey key = privateKey(keyFile.orElseThrow(() -> new IllegalArgumentException(
                        "cert_file " + certFile.get() + " needs key_file")));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, NO_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {tm}, null);
            return Optional.of(new ConsulTls(ctx, tm, kmf != null));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Consul TLS: " + e.getMessage(), e);
        }
    }

    public static List<Certificate> certificates(Path file) {
        try {
            List<Certificate> out = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
            if (out.isEmpty()) {
                throw new IllegalArgumentException(file + ": no PEM certificate in it");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate file (" + e.getClass().getSimpleName() + ")");
        }
    }

    public static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("EC PARAMETERS")) {
                continue; // openssl ecparam writes the curve before the key
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(der);
                    case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            seq(cat(INT_0, seq(cat(OID_RSA, NULL)), octets(der)))));
                    case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            seq(cat(INT_0, seq(cat(OID_EC, sec1Curve(der))), octets(der)))));
                    default -> throw new IllegalArgumentException(file + ": a PEM " + type
                            + ", not a private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY; encrypted keys are not supported)");
                };
            } catch (GeneralSecurityException | RuntimeException e) {
                if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                        && iae.getMessage().startsWith(file.toString())) {
                    throw iae;
                }
                // the cause's message may quote key material: only its type is shown
                throw new IllegalArgumentException(file + ": not a readable " + type + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        throw new IllegalArgumentException(file + ": no PEM private key in it");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    // ---- the few DER pieces needed to wrap PKCS#1 / SEC1 keys as PKCS#8 ----
    private static final byte[] INT_0 = {0x02, 0x01, 0x00};
    private static final byte[] NULL = {0x05, 0x00};
    /** 1.2.840.113549.1.1.1 rsaEncryption */
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** 1.2.840.10045.2.1 ecPublicKey */
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /** SEC1 ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters (the curve OID), [1] publicKey } */
    private static byte[] sec1Curve(byte[] der) {
        int[] seq = header(der, 0);
        int pos = seq[0];
        while (pos < der.length) {
            int[] h = header(der, pos);
            if ((der[pos] & 0xff) == 0xa0) {
                byte[] oid = new byte[h[1]];
                System.arraycopy(der, h[0], oid, 0, h[1]);
                return oid; // the OID element itself, tag and length included
            }
            pos = h[0] + h[1];
        }
        throw new IllegalArgumentException("EC key without its curve ([0] parameters)");
    }

    /** {start of content, content length} of the element at pos. */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {start, len};
    }

    private static byte[] seq(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] octets(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
