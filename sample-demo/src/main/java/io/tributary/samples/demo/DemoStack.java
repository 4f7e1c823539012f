package io.tributary.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.client.test.EmbeddedPostgresServer;

/**
 * The whole reference stack on one machine without Docker: PostgreSQL, the broker and the four services,
 * each service in its own schema of one database. PostgreSQL comes from embedded binaries unless a JDBC URL
 * is given. Every part logs to {@code <work>/logs/<name>.log}. Secured, the broker asks every client for a SCRAM
 * user over TLS and checks ACLs, and each service logs in as itself ({@link DemoSecurity}).
 */
public final class DemoStack implements AutoCloseable {

    public static final String ORDERS = "orders";
    public static final String PAYMENTS = "payments";
    public static final String BILLING = "billing";
    public static final String NOTIFICATIONS = "notifications";
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Ports ports;
    private final Path work;
    private final EmbeddedPostgresServer embeddedPostgres;
    private final DemoSecurity security;
    private final JavaProcess broker;
    private final Map<String, JavaProcess> services = new LinkedHashMap<>();

    /** Where the parts listen: the broker's Kafka and HTTP ports and each service's HTTP port. */
    public record Ports(int kafka, int broker, int orders, int payments, int billing, int notifications) {

        public static Ports standard() {
            return new Ports(9092, 8080, 8081, 8082, 8083, 8084);
        }

        int of(String service) {
            return switch (service) {
                case ORDERS -> orders;
                case PAYMENTS -> payments;
                case BILLING -> billing;
                case NOTIFICATIONS -> notifications;
                default -> throw new IllegalArgumentException("No service " + service);
            };
        }
    }

    /** Where PostgreSQL is; {@code null} URL starts an embedded one. */
    public record Database(String jdbcUrl, String username, String password) {
    }

    private DemoStack(Path root, Path work, Ports ports, Database database, boolean secured) {
        this.ports = ports;
        this.work = work;
        Path logs = createDirectories(work.resolve("logs"));
        Database db = database;
        if (db == null || db.jdbcUrl() == null) {
            embeddedPostgres = EmbeddedPostgresServer.startStoppedByOwner();
            EmbeddedPostgresServer.Database created = embeddedPostgres.createDatabase("tributary");
            db = new Database(created.jdbcUrl(), created.username(), created.password());
        } else {
            embeddedPostgres = null;
        }
        String bootstrap = "127.0.0.1:" + ports.kafka();
        security = secured ? DemoSecurity.create(work.resolve("tls"), bootstrap) : null;
        List<String> brokerArgs = new ArrayList<>(List.of("--server.port=" + ports.broker(),
                "--tributary.broker.data-dir=" + createDirectories(work.resolve("broker-data"))));
        brokerArgs.addAll(secured ? security.brokerArgs()
                : List.of("--tributary.broker.port=" + ports.kafka(), "--tributary.broker.host=127.0.0.1"));
        // Secured, the full health report needs a user; readiness stays open, for orchestrators and for this.
        broker = new JavaProcess("broker", root.resolve("platform-broker/target/platform-broker-" + VERSION + "-exec.jar"),
                brokerArgs, ports.broker(), secured ? "/actuator/health/readiness" : "/actuator/health", logs);
        for (String service : List.of(ORDERS, PAYMENTS, BILLING, NOTIFICATIONS)) {
            List<String> args = new ArrayList<>(List.of("--server.port=" + ports.of(service),
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                    "--spring.datasource.password=" + db.password()));
            if (secured) {
                args.addAll(security.serviceArgs(service));
            }
            services.put(service, new JavaProcess(service,
                    root.resolve("sample-" + service + "-service/target/sample-" + service + "-service-" + VERSION + "-exec.jar"),
                    args, ports.of(service), logs));
        }
    }

    /**
     * Starts everything and returns once every part reports healthy.
     *
     * @param root    the repository, where the executable jars were built
     * @param work    where the broker keeps its logs and every part its output
     * @param secured SASL_SSL, ACLs and a user per service ({@link DemoSecurity}) rather than an open listener
     */
    public static DemoStack start(Path root, Path work, Ports ports, Database database, boolean secured) {
        DemoStack stack = new DemoStack(root, work, ports, database, secured);
        try {
            stack.broker.start();
            stack.broker.awaitHealthy(START_TIMEOUT);
            if (secured) {
                // Before any service starts: a service without its ACLs fails its topic declarations at start.
                stack.security.createAcls();
            }
            stack.services.values().forEach(JavaProcess::start);
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (JavaProcess service : stack.services.values()) {
                ready.add(CompletableFuture.runAsync(() -> service.awaitHealthy(START_TIMEOUT)));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Stops one service gracefully, as a redeployment would. */
    public void stop(String service) {
        services.get(service).stop();
    }

    /** Starts a stopped service again and waits for it to be healthy. */
    public void start(String service) {
        JavaProcess process = services.get(service);
        process.start();
        process.awaitHealthy(START_TIMEOUT);
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.of(service);
    }

    public String brokerUrl() {
        return "http://127.0.0.1:" + ports.broker();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    public boolean secured() {
        return security != null;
    }

    /** Kafka client settings that log in as {@code user} ({@code admin} or a service) with its demo password. */
    public Map<String, Object> clientConfig(String user) {
        if (security == null) {
            throw new IllegalStateException("The stack is not secured: any client connects to " + bootstrapServers());
        }
        return security.clientConfig(user);
    }

    /** The broker's certificate in PEM (librdkafka's {@code ssl.ca.location}), when secured. */
    public Path certificatePem() {
        return security == null ? null : security.certificatePem();
    }

    public Path work() {
        return work;
    }

    /** Where a part's output goes: {@code broker} or a service's name. */
    public Path log(String part) {
        return part.equals("broker") ? broker.log() : services.get(part).log();
    }

    @Override
    public void close() {
        // The services first, together, while the broker and the database they use are still up.
        CompletableFuture.allOf(services.values().stream()
                .map(service -> CompletableFuture.runAsync(service::stop))
                .toArray(CompletableFuture[]::new)).join();
        broker.stop();
        if (embeddedPostgres != null) {
            embeddedPostgres.close();
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
