package io.tributary.samples.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders whose fate the payments service's documented rules decide in advance: a total above 1000.00 is
 * declined, so is any customer whose id starts with {@code blocked-}; everything else is paid.
 */
public final class SampleOrders {

    static final BigDecimal LIMIT = new BigDecimal("1000.00");
    static final String BLOCKED_PREFIX = "blocked-";

    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** An order to place, and what the rules say must become of it. */
    public record Order(String customerId, List<Item> items, String expectedStatus) {

        public BigDecimal total() {
            return items.stream().map(i -> i.unitPrice().multiply(BigDecimal.valueOf(i.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public int expectedNotifications() {
            // Order received and payment outcome; a paid order's invoice too.
            return expectedStatus.equals("PAID") ? 3 : 2;
        }
    }

    private SampleOrders() {
    }

    /** {@code count} orders, the same every time: mostly paid, every fifth over the limit, every seventh blocked. */
    public static List<Order> generate(int count) {
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String customer = (i % 7 == 6 ? BLOCKED_PREFIX : "c-") + (i % 23);
            List<Item> items = new ArrayList<>();
            items.add(new Item("SKU-" + (i % 11), 1 + i % 3, new BigDecimal("19.90")));
            if (i % 5 == 4) {
                items.add(new Item("TV-" + (i % 3), 1, new BigDecimal("1299.00")));
            } else if (i % 2 == 0) {
                items.add(new Item("BOOK-" + (i % 13), 2, new BigDecimal("12.50")));
            }
            orders.add(new Order(customer, items, decide(customer, items)));
        }
        return orders;
    }

    private static String decide(String customer, List<Item> items) {
        Order order = new Order(customer, items, "");
        return customer.startsWith(BLOCKED_PREFIX) || order.total().compareTo(LIMIT) > 0 ? "REJECTED" : "PAID";
    }
}
