package io.tributary.samples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;

/**
 * {@code run}: starts the reference stack on this machine and keeps it up until Ctrl-C.
 * {@code place-orders [n]}: places sample orders against a running stack and prints where each ended up.
 * <p>
 * Settings, as system properties or environment variables: {@code DEMO_DATABASE_URL},
 * {@code DEMO_DATABASE_USERNAME}, {@code DEMO_DATABASE_PASSWORD} (an existing PostgreSQL instead of the
 * embedded one), {@code DEMO_ROOT} (the repository, default the working directory) and {@code DEMO_WORK}
 * (default {@code target/demo} under it).
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run();
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
                System.err.println("usage: demo run | demo place-orders [count]");
                System.exit(2);
            }
        }
    }

    private static void run() throws InterruptedException {
        Path root = Path.of(setting("DEMO_ROOT", ".")).toAbsolutePath().normalize();
        Path work = Path.of(setting("DEMO_WORK", root.resolve("target/demo").toString()));
        DemoStack.Database database = new DemoStack.Database(setting("DEMO_DATABASE_URL", null),
                setting("DEMO_DATABASE_USERNAME", "tributary"), setting("DEMO_DATABASE_PASSWORD", "tributary"));
        System.out.println("Starting PostgreSQL, the broker and four services (logs in " + work.resolve("logs") + ") ...");
        DemoStack stack = DemoStack.start(root, work, DemoStack.Ports.standard(), database);
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
        System.out.println();
        System.out.println("Place sample orders with: ./demo/place-orders    Stop with Ctrl-C.");
        stopped.await();
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
