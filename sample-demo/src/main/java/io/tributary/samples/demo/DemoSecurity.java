package io.tributary.samples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The demo stack secured: one SASL_SSL listener (SCRAM-SHA-512, the broker's key made at start by
 * {@link DemoCertificates}), the ACL authorizer, an {@code admin} super user and one SCRAM user per service, named
 * after it, that may touch only its own topics and its own consumer group ({@link #SERVICES}). The passwords are fixed
 * demo passwords, {@code <user>-secret}: bootstrap users keep the credential they were first given, so the broker's
 * data directory outlives a run only if the next run asks for the same passwords.
 */
public final class DemoSecurity {

    public static final String ADMIN = "admin";
    static final String PROTOCOL = "SASL_SSL";
    static final String MECHANISM = "SCRAM-SHA-512";
    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final String BROKER_BUNDLE = "broker";
    private static final String SERVICE_BUNDLE = "tributary";

    /**
     * What each service does on the broker, read off its code and {@code application.yml}; every ACL of the demo comes
     * from here, for {@code ./demo/run --secure} and for {@code docker-compose.secure.yml} alike.
     */
    public static final Map<String, Access> SERVICES = services();

    private static Map<String, Access> services() {
        Map<String, Access> services = new LinkedHashMap<>();
        services.put(DemoStack.ORDERS, new Access(List.of("orders"), List.of("payments"), List.of("orders", "payments")));
        services.put(DemoStack.PAYMENTS, new Access(List.of("payments"), List.of("orders"), List.of("orders", "payments")));
        services.put(DemoStack.BILLING, new Access(List.of("invoices"), List.of("payments"), List.of("payments", "invoices")));
        services.put(DemoStack.NOTIFICATIONS, new Access(List.of(), List.of("orders", "payments", "invoices"),
                List.of("orders", "payments", "invoices")));
        return Collections.unmodifiableMap(services);
    }

    /**
     * A service's use of the broker, as the platform's starter carries it out.
     *
     * @param publishes the topics its outbox publishes to
     * @param consumes  the topics its listeners read, in the consumer group named after the service (the starter's
     *                  group id is {@code spring.application.name}, which each service sets to its name); a record that
     *                  fails every attempt goes to the topic's dead-letter topic, {@code <topic>.DLT}
     * @param declares  the topics under its {@code tributary.topics}: the starter describes them at start, creates the
     *                  missing ones, each with its dead-letter topic, and compares their configs with the declaration
     */
    public record Access(List<String> publishes, List<String> consumes, List<String> declares) {

        /**
         * The ACLs that let {@code service} do exactly that. No IDEMPOTENT_WRITE on the cluster: an idempotent producer
         * without a transactional id may start with WRITE on any topic, as on Kafka 4, and every service writes one.
         */
        public List<AclBinding> acls(String service) {
            String principal = "User:" + service;
            Set<AclBinding> acls = new LinkedHashSet<>();
            for (String topic : declares) {
                for (String declared : List.of(topic, topic + DEAD_LETTER_SUFFIX)) {
                    acls.add(allow(principal, ResourceType.TOPIC, declared, AclOperation.DESCRIBE));
                    acls.add(allow(principal, ResourceType.TOPIC, declared, AclOperation.DESCRIBE_CONFIGS));
                    acls.add(allow(principal, ResourceType.TOPIC, declared, AclOperation.CREATE));
                }
            }
            publishes.forEach(topic -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE)));
            for (String topic : consumes) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.READ));
                acls.add(allow(principal, ResourceType.TOPIC, topic + DEAD_LETTER_SUFFIX, AclOperation.WRITE));
            }
            if (!consumes.isEmpty()) {
                acls.add(allow(principal, ResourceType.GROUP, service, AclOperation.READ));
            }
            return List.copyOf(acls);
        }

        private static AclBinding allow(String principal, ResourceType type, String name, AclOperation operation) {
            return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
        }
    }

    private final String bootstrapServers;
    private final DemoCertificates certificates;

    private DemoSecurity(String bootstrapServers, DemoCertificates certificates) {
        this.bootstrapServers = bootstrapServers;
        this.certificates = certificates;
    }

    /** Makes the broker's key and trust store in {@code dir}. */
    static DemoSecurity create(Path dir, String bootstrapServers) {
        return new DemoSecurity(bootstrapServers, DemoCertificates.create(dir));
    }

    /** The demo password of {@code user}. */
    public static String password(String user) {
        return user + "-secret";
    }

    /** Every ACL of the demo, service by service. */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        SERVICES.forEach((service, access) -> acls.addAll(access.acls(service)));
        return acls;
    }

    /** Creates every ACL of the demo through {@code adminConfig}'s client, which must be allowed ALTER on the cluster. */
    public static List<AclBinding> createAcls(Map<String, Object> adminConfig) {
        List<AclBinding> acls = acls();
        try (Admin admin = Admin.create(adminConfig)) {
            // The broker keeps an ACL it has already: a second run over the same data directory changes nothing.
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create the demo's ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The broker did not create the demo's ACLs within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the demo's ACLs", e);
        }
        return acls;
    }

    /** Kafka client settings of {@code user} with its demo password: SCRAM, and TLS when a trust store is given. */
    public static Map<String, Object> clientConfig(String bootstrapServers, String protocol, Path trustStore, String user,
            String password) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", protocol);
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        if (trustStore != null) {
            config.put("ssl.truststore.location", trustStore.toString());
            config.put("ssl.truststore.type", "PKCS12");
            config.put("ssl.truststore.password", DemoCertificates.PASSWORD);
        }
        return config;
    }

    /** {@link #clientConfig(String, String, Path, String, String)} for this stack's broker. */
    Map<String, Object> clientConfig(String user) {
        return clientConfig(bootstrapServers, PROTOCOL, certificates.trustStore(), user, password(user));
    }

    void createAcls() {
        createAcls(clientConfig(ADMIN));
    }

    /** The broker's settings: its one listener, its key, the authorizer and the users it creates at start. */
    List<String> brokerArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--tributary.broker.listeners=" + PROTOCOL + "://" + bootstrapServers,
                "--tributary.broker.security.listener." + PROTOCOL.toLowerCase(Locale.ROOT) + ".ssl-bundle="
                        + BROKER_BUNDLE,
                "--spring.ssl.bundle.jks." + BROKER_BUNDLE + ".keystore.location=file:" + certificates.keyStore(),
                "--spring.ssl.bundle.jks." + BROKER_BUNDLE + ".keystore.type=PKCS12",
                "--spring.ssl.bundle.jks." + BROKER_BUNDLE + ".keystore.password=" + DemoCertificates.PASSWORD,
                "--tributary.broker.security.authorizer.enabled=true",
                "--tributary.broker.security.super-users=User:" + ADMIN));
        List<String> users = new ArrayList<>(List.of(ADMIN));
        users.addAll(SERVICES.keySet());
        int index = 0;
        for (String user : users) {
            // Both SCRAM mechanisms, so that any client may pick either; PLAIN (kcat) is checked against them too.
            for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256")) {
                String prefix = "--tributary.broker.security.bootstrap-users[" + index++ + "]";
                args.addAll(List.of(prefix + ".name=" + user, prefix + ".password=" + password(user),
                        prefix + ".mechanism=" + mechanism));
            }
        }
        return args;
    }

    /** A service's settings: its user, through the starter's {@code tributary.security.*}, and the broker's certificate. */
    List<String> serviceArgs(String service) {
        String bundle = "--spring.ssl.bundle.jks." + SERVICE_BUNDLE + ".truststore.";
        return List.of("--tributary.security.protocol=" + PROTOCOL,
                "--tributary.security.sasl.mechanism=" + MECHANISM,
                "--tributary.security.sasl.username=" + service,
                "--tributary.security.sasl.password=" + password(service),
                "--tributary.security.ssl.bundle=" + SERVICE_BUNDLE,
                bundle + "location=file:" + certificates.trustStore(), bundle + "type=PKCS12",
                bundle + "password=" + DemoCertificates.PASSWORD);
    }

    /** The broker's certificate in PEM, for kcat. */
    Path certificatePem() {
        return certificates.pem();
    }
}
