package io.tributary.samples.orders.order;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.tributary.client.idempotent.IdempotentConsumer;
import io.tributary.client.outbox.Outbox;
import io.tributary.samples.orders.events.OrderCreated;
import io.tributary.samples.orders.events.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders and records the payments service's decisions. */
@Service
public class OrderService {

    private static final Log logger = LogFactory.getLog(OrderService.class);

    private final OrderRepository orders;
    private final Outbox outbox;
    private final IdempotentConsumer idempotentConsumer;
    private final Clock clock;

    OrderService(OrderRepository orders, Outbox outbox, IdempotentConsumer idempotentConsumer) {
        this.orders = orders;
        this.outbox = outbox;
        this.idempotentConsumer = idempotentConsumer;
        this.clock = Clock.systemUTC();
    }

    /** Stores the order and its OrderCreated event in one transaction: both or neither. */
    @Transactional
    public Order place(String customerId, List<OrderLine> items) {
        Order order = orders.save(Order.place(customerId, items, clock.instant()));
        outbox.append(Topics.ORDERS, order.getId(), new OrderCreated(order.getId(), order.getCustomerId(),
                order.getItems().stream().map(l -> new OrderCreated.Line(l.sku(), l.quantity(), l.unitPrice())).toList(),
                order.getTotal(), order.getCreatedAt()));
        // With the request's trace id (in the log pattern): the trace goes on through OrderCreated.
        logger.info("Placed order " + order.getId() + " of customer " + order.getCustomerId());
        return order;
    }

    public Optional<Order> find(String id) {
        return orders.findById(id);
    }

    public List<Order> all() {
        return orders.findAllByOrderByCreatedAtDesc();
    }

    /**
     * Applies a payment outcome once per event; a second event for an already decided order changes
     * nothing either. Returns whether this call changed the order.
     */
    @Transactional
    public boolean decide(String eventId, String orderId, OrderStatus outcome, String reason) {
        boolean[] changed = {false};
        idempotentConsumer.runOnce(eventId, () -> orders.findById(orderId).ifPresentOrElse(order -> {
            if (order.decide(outcome, reason)) {
                orders.save(order);
                logger.info("Order " + orderId + " is " + outcome);
                changed[0] = true;
            }
        }, () -> {
            throw new UnknownOrderException(orderId);
        }));
        return changed[0];
    }
}
