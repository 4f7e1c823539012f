package io.tributary.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker's TLS key for the secured demo, made afresh at every start by the JDK's {@code keytool} in the demo's
 * work directory, so that no private key is ever committed: a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1}, a trust store holding it for the services and other Java clients, and the certificate as PEM
 * for kcat. Both stores are PKCS12 with the password {@link #PASSWORD}.
 */
final class DemoCertificates {

    static final String PASSWORD = "demo-store-secret";

    private final Path dir;

    private DemoCertificates(Path dir) {
        this.dir = dir;
    }

    static DemoCertificates create(Path dir) {
        DemoCertificates certificates = new DemoCertificates(dir);
        try {
            Files.createDirectories(dir);
            // keytool refuses to add an alias a store already has: a run after an earlier one starts from nothing.
            for (Path file : List.of(certificates.keyStore(), certificates.trustStore(), certificates.pem())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Three keytool runs rather than an authority and a signed key: the demo starts faster, and a client that
        // trusts this one certificate trusts nothing else.
        certificates.keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost,OU=Tributary demo", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                "-keypass", PASSWORD, "-keystore", certificates.keyStore().toString());
        certificates.keytool("-exportcert", "-alias", "broker", "-rfc", "-file", certificates.pem().toString(),
                "-keystore", certificates.keyStore().toString());
        certificates.keytool("-importcert", "-alias", "broker", "-file", certificates.pem().toString(), "-noprompt",
                "-keystore", certificates.trustStore().toString());
        return certificates;
    }

    /** The broker's key and certificate. */
    Path keyStore() {
        return dir.resolve("broker.p12");
    }

    /** The broker's certificate, for Java clients. */
    Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** The broker's certificate in PEM, for librdkafka's {@code ssl.ca.location}. */
    Path pem() {
        return dir.resolve("broker.pem");
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
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
            throw new IllegalStateException("Interrupted while keytool ran", e);
        }
    }
}
