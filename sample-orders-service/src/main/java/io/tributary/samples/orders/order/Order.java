package io.tributary.samples.orders.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** An order and its lines: one aggregate, stored and loaded together. */
@Table("customer_order")
public class Order {

    @Id
    private final String id;
    private final String customerId;
    @MappedCollection(idColumn = "order_id", keyColumn = "position")
    private final List<OrderLine> items;
    private final BigDecimal total;
    private final Instant createdAt;
    private OrderStatus status;
    private String statusReason;
    /** Null until first stored: tells Spring Data JDBC to insert rather than update. */
    @Version
    private Integer version;

    Order(String id, String customerId, List<OrderLine> items, BigDecimal total, Instant createdAt, OrderStatus status,
            String statusReason, Integer version) {
        this.id = id;
        this.customerId = customerId;
        this.items = items;
        this.total = total;
        this.createdAt = createdAt;
        this.status = status;
        this.statusReason = statusReason;
        this.version = version;
    }

    static Order place(String customerId, List<OrderLine> items, Instant now) {
        BigDecimal total = items.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Order(UUID.randomUUID().toString(), customerId, List.copyOf(items), total, now, OrderStatus.PENDING,
                null, null);
    }

    /** Applies the payment's outcome once; an order already decided keeps its status. */
    boolean decide(OrderStatus outcome, String reason) {
        if (status != OrderStatus.PENDING) {
            return false;
        }
        status = outcome;
        statusReason = reason;
        return true;
    }

    public String getId() {
        return id;
    }

    public String getCustomerId() {
        return customerId;
    }

    public List<OrderLine> getItems() {
        return items;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public String getStatusReason() {
        return statusReason;
    }
}
