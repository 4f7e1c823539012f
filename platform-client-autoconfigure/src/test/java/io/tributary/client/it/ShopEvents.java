package io.tributary.client.it;

import java.math.BigDecimal;
import io.tributary.client.events.EventType;

/** Events of a small shop, as two services would declare them. */
final class ShopEvents {

    private ShopEvents() {
    }

    @EventType("OrderPlaced")
    record OrderPlaced(String orderId, BigDecimal total) {
    }

    @EventType("OrderCancelled")
    record OrderCancelled(String orderId, String reason) {
    }

    @EventType("PaymentTaken")
    record PaymentTaken(String orderId, BigDecimal amount) {
    }
}
