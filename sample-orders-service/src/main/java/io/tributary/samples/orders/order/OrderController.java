package io.tributary.samples.orders.order;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /orders}: place an order, read one, list them. Invalid input is a 400 problem detail. */
@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping
    ResponseEntity<OrderView> place(@Valid @RequestBody PlaceOrder request) {
        Order order = orders.place(request.customerId(), request.items().stream()
                .map(i -> new OrderLine(i.sku(), i.quantity(), i.unitPrice())).toList());
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(order.getId()).toUri();
        return ResponseEntity.created(location).body(OrderView.of(order));
    }

    @GetMapping("/{id}")
    OrderView get(@PathVariable String id) {
        return orders.find(id).map(OrderView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }

    @GetMapping
    List<OrderView> list() {
        return orders.all().stream().map(OrderView::of).toList();
    }

    record PlaceOrder(@NotBlank @Size(max = 100) String customerId, @NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items) {
    }

    record Item(@NotBlank @Size(max = 100) String sku, @Positive int quantity,
            @NotNull @DecimalMin("0.00") @Digits(integer = 8, fraction = 2) BigDecimal unitPrice) {
    }

    record OrderView(String id, String customerId, List<OrderLine> items, BigDecimal total, String status,
            String statusReason, java.time.Instant createdAt) {

        static OrderView of(Order order) {
            return new OrderView(order.getId(), order.getCustomerId(), order.getItems(), order.getTotal(),
                    order.getStatus().name(), order.getStatusReason(), order.getCreatedAt());
        }
    }
}
