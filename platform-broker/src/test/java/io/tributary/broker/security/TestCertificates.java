package io.tributary.broker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and the keys a test needs, made by the JDK's {@code keytool} in
 * a temporary directory, so that no private key is ever committed: a broker key whose certificate
 * names {@code localhost} and {@code 127.0.0.1}, client keys for mutual TLS, a trust store with the
 * authority, and the authority's certificate as PEM for librdkafka.
 *
 * <p>Every store is PKCS12 with the password {@link #PASSWORD}.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-secret";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Creates the authority, the broker's key and a trust store in {@code dir}. */
    public static TestCertificates create(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates certificates = new TestCertificates(dir);
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Tributary Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", certificates.store("ca"));
        certificates.keytool("-exportcert", "-alias", "ca", "-rfc", "-file", dir.resolve("ca.pem").toString(),
                "-keystore", certificates.store("ca"));
        certificates.keytool("-importcert", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-noprompt",
                "-keystore", certificates.store("truststore"));
        certificates.signed("broker", "CN=localhost,OU=brokers", "SAN=dns:localhost,ip:127.0.0.1");
        return certificates;
    }

    /** A key store for {@code name} with a certificate for {@code subject} signed by the authority. */
    public Path signed(String name, String subject) {
        return signed(name, subject, null);
    }

    private Path signed(String name, String subject, String extension) {
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", subject, "-validity", "2",
                "-keystore", store(name));
        keytool("-certreq", "-alias", name, "-file", dir.resolve(name + ".csr").toString(), "-keystore", store(name));
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-infile", dir.resolve(name + ".csr").toString(),
                "-outfile", dir.resolve(name + ".crt").toString(), "-rfc", "-validity", "2", "-keystore", store("ca")));
        if (extension != null) {
            sign.addAll(List.of("-ext", extension));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-noprompt", "-keystore", store(name));
        keytool("-importcert", "-alias", name, "-file", dir.resolve(name + ".crt").toString(), "-keystore", store(name));
        return Path.of(store(name));
    }

    /** The PKCS12 key store of a name given to {@link #signed} ({@code broker} is always there). */
    public Path keyStore(String name) {
        return Path.of(store(name));
    }

    /** The PKCS12 trust store holding the authority. */
    public Path trustStore() {
        return Path.of(store("truststore"));
    }

    /** The authority's certificate in PEM, for librdkafka's {@code ssl.ca.location}. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** Spring Boot settings ({@code --key=value}) of an SSL bundle with {@code keyStoreName}'s key and the authority as trust. */
    public List<String> bundleArgs(String bundle, String keyStoreName) {
        return bundleProperties(bundle, keyStoreName).stream().map(property -> "--" + property).toList();
    }

    /** Spring Boot properties ({@code key=value}) of an SSL bundle with {@code keyStoreName}'s key and the authority. */
    public List<String> bundleProperties(String bundle, String keyStoreName) {
        String prefix = "spring.ssl.bundle.jks." + bundle;
        return List.of(prefix + ".keystore.location=file:" + keyStore(keyStoreName),
                prefix + ".keystore.type=PKCS12", prefix + ".keystore.password=" + PASSWORD,
                prefix + ".truststore.location=file:" + trustStore(), prefix + ".truststore.type=PKCS12",
                prefix + ".truststore.password=" + PASSWORD);
    }

    /** Spring Boot properties ({@code key=value}) of an SSL bundle that only trusts the authority: a client's. */
    public List<String> trustBundleProperties(String bundle) {
        String prefix = "spring.ssl.bundle.jks." + bundle;
        return List.of(prefix + ".truststore.location=file:" + trustStore(), prefix + ".truststore.type=PKCS12",
                prefix + ".truststore.password=" + PASSWORD);
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + new String(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
