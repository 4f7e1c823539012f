package io.tributary.samples.orders.order;

import java.math.BigDecimal;
import org.springframework.data.relational.core.mapping.Table;

/** One line of an order: so many of one SKU at a unit price. */
@Table("order_line")
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
