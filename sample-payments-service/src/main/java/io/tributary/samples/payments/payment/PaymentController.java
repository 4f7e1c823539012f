package io.tributary.samples.payments.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /payments}: read-only; payments are made from events. An unknown id is a 404 problem detail. */
@RestController
@RequestMapping("/payments")
class PaymentController {

    private final PaymentService payments;

    PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    /** Every payment, newest first; with {@code orderId}, that order's payment, if any. */
    @GetMapping
    List<PaymentView> list(@RequestParam(required = false) String orderId) {
        List<Payment> found = orderId == null ? payments.all() : payments.ofOrder(orderId).stream().toList();
        return found.stream().map(PaymentView::of).toList();
    }

    @GetMapping("/{id}")
    PaymentView get(@PathVariable String id) {
        return payments.find(id).map(PaymentView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No payment " + id));
    }

    record PaymentView(String id, String orderId, String customerId, BigDecimal amount, String status, String reason,
            Instant processedAt) {

        static PaymentView of(Payment payment) {
            return new PaymentView(payment.getId(), payment.getOrderId(), payment.getCustomerId(), payment.getAmount(),
                    payment.getStatus().name(), payment.getReason(), payment.getProcessedAt());
        }
    }
}
