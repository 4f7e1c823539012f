package io.tributary.samples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.acl.AclBinding;
import tools.jackson.databind.JsonNode;

/**
 * {@code run [--secure]}: starts the reference stack on this machine and keeps it up until Ctrl-C; secured
 * ({@code --secure} or {@code DEMO_SECURE=1}) with SASL_SSL, ACLs and a user per service ({@link DemoSecurity}).
 * {@code place-orders [n]}: places sample orders against a running stack and prints where each ended up.
 * {@code acls}: creates the services' ACLs on a secured broker as {@code admin} ({@code docker-compose.secure.yml}).
 * <p>
 * Settings, as system properties or environment variables: {@code DEMO_DATABASE_URL},
 * {@code DEMO_DATABASE_USERNAME}, {@code DEMO_DATABASE_PASSWORD} (an existing PostgreSQL instead of the
 * embedded one), {@code DEMO_ROOT} (the repository, default the working directory), {@code DEMO_WORK}
 * (default {@code target/demo} under it) and {@code DEMO_SECURE}; for {@code acls}, {@code DEMO_BOOTSTRAP_SERVERS},
 * {@code DEMO_SECURITY_PROTOCOL} (default {@code SASL_PLAINTEXT}) and {@code DEMO_ADMIN_PASSWORD} (default
 * {@code admin-secret}).
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run(List.of(args).contains("--secure") || setting("DEMO_SECURE", "0").equals("1"));
            case "acls" -> acls();
            case "place-orders" -> {
                try {
                    placeOrders(args.length > 1 ? Integer.parseInt(args[1]) : 20);
                } catch (IllegalStateException e) {
                    System.err.println(e.getMessage());
                    System.err.println("Is the demo stack running? Start it with ./demo/run");
                    System.exit(1);
                }
            }
            default -> {
                System.err.println("usage: demo run [--secure] | demo place-orders [count] | demo acls");
                System.exit(2);
            }
        }
    }

    private static void run(boolean secured) throws InterruptedException {
        Path root = Path.of(setting("DEMO_ROOT", ".")).toAbsolutePath().normalize();
        Path work = Path.of(setting("DEMO_WORK", root.resolve("target/demo").toString()));
        DemoStack.Database database = new DemoStack.Database(setting("DEMO_DATABASE_URL", null),
                setting("DEMO_DATABASE_USERNAME", "tributary"), setting("DEMO_DATABASE_PASSWORD", "tributary"));
        System.out.println("Starting PostgreSQL, the broker" + (secured ? " (SASL_SSL, ACLs)" : "")
                + " and four services (logs in " + work.resolve("logs") + ") ...");
        DemoStack stack = DemoStack.start(root, work, DemoStack.Ports.standard(), database, secured);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the demo stack ...");
            stack.close();
            stopped.countDown();
        }));
        System.out.println();
        System.out.println("The demo stack is up:");
        System.out.println("  broker (Kafka protocol)  " + stack.bootstrapServers());
        System.out.println("  broker admin and health  " + stack.brokerUrl() + "/api/topics  " + stack.brokerUrl() + "/actuator/health");
        System.out.println("  orders                   " + stack.url(DemoStack.ORDERS) + "/orders");
        System.out.println("  payments                 " + stack.url(DemoStack.PAYMENTS) + "/payments");
        System.out.println("  billing                  " + stack.url(DemoStack.BILLING) + "/invoices");
        System.out.println("  notifications            " + stack.url(DemoStack.NOTIFICATIONS) + "/notifications");
        if (secured) {
            printSecurity(stack);
        }
        System.out.println();
        System.out.println("Place sample orders with: ./demo/place-orders    Stop with Ctrl-C.");
        stopped.await();
    }

    private static void printSecurity(DemoStack stack) {
        System.out.println();
        System.out.println("Secured: SASL_SSL with SCRAM-SHA-512 (or -256, or PLAIN), ACLs on. Users and their demo passwords:");
        System.out.printf("  %-14s %-22s %s%n", DemoSecurity.ADMIN, DemoSecurity.password(DemoSecurity.ADMIN),
                "super user; also the console's and the admin API's HTTP Basic login");
        DemoSecurity.SERVICES.forEach((service, access) -> System.out.printf("  %-14s %-22s writes %s, reads %s%n",
                service, DemoSecurity.password(service), access.publishes().isEmpty() ? "-" : access.publishes(),
                access.consumes()));
        System.out.println("  The broker's certificate (made at start, trusted by the services): " + stack.certificatePem());
        System.out.println("  kcat -b " + stack.bootstrapServers() + " -X security.protocol=SASL_SSL -X sasl.mechanisms=PLAIN"
                + " -X sasl.username=admin -X sasl.password=" + DemoSecurity.password(DemoSecurity.ADMIN)
                + " -X ssl.ca.location=" + stack.certificatePem() + " -L");
    }

    /** The services' ACLs on a broker started elsewhere (docker-compose.secure.yml's init container). */
    private static void acls() {
        String bootstrap = setting("DEMO_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        Map<String, Object> admin = DemoSecurity.clientConfig(bootstrap, setting("DEMO_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
                null, DemoSecurity.ADMIN, setting("DEMO_ADMIN_PASSWORD", DemoSecurity.password(DemoSecurity.ADMIN)));
        List<AclBinding> created = DemoSecurity.createAcls(admin);
        created.forEach(acl -> System.out.println(acl.entry().principal() + " " + acl.entry().operation() + " "
                + acl.pattern().resourceType() + " " + acl.pattern().name()));
        System.out.printf("%d ACLs in place on %s%n", created.size(), bootstrap);
    }

    private static void placeOrders(int count) throws InterruptedException {
        DemoStack.Ports ports = DemoStack.Ports.standard();
        ShopClient shop = new ShopClient("http://127.0.0.1:" + ports.orders(), "http://127.0.0.1:" + ports.billing(),
                "http://127.0.0.1:" + ports.notifications());
        List<SampleOrders.Order> orders = SampleOrders.generate(count);
        List<String> ids = new ArrayList<>();
        for (SampleOrders.Order order : orders) {
            ids.add(shop.place(order).get("id").asString());
        }
        System.out.printf("Placed %d orders; waiting for payments, invoices and notifications ...%n%n", count);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            SampleOrders.Order expected = orders.get(i);
            JsonNode order = shop.order(ids.get(i));
            while (Instant.now().isBefore(deadline) && !settled(shop, ids.get(i), order, expected)) {
                Thread.sleep(200);
                order = shop.order(ids.get(i));
            }
            lines.add(String.format("%-36s  %-12s %9s  %-8s %-8s %s  %-30s", ids.get(i), order.get("customerId").asString(),
                    order.get("total").decimalValue().toPlainString(), order.get("status").asString(),
                    shop.invoices(ids.get(i)).size() == 1 ? "invoiced" : "-", shop.notifications(ids.get(i)).size(),
                    order.get("statusReason") == null || order.get("statusReason").isNull() ? ""
                            : order.get("statusReason").asString()));
        }
        System.out.printf("%-36s  %-12s %9s  %-8s %-8s %s  %s%n", "order", "customer", "total", "status", "invoice",
                "notifications", "reason");
        lines.forEach(System.out::println);
    }

    private static boolean settled(ShopClient shop, String id, JsonNode order, SampleOrders.Order expected) {
        return !order.get("status").asString().equals("PENDING")
                && shop.notifications(id).size() >= expected.expectedNotifications();
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
