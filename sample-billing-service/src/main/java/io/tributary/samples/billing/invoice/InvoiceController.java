package io.tributary.samples.billing.invoice;

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

/** {@code /invoices}: read-only; invoices are issued from events. An unknown id is a 404 problem detail. */
@RestController
@RequestMapping("/invoices")
class InvoiceController {

    private final InvoiceService invoices;

    InvoiceController(InvoiceService invoices) {
        this.invoices = invoices;
    }

    /** Every invoice, newest first; with {@code orderId}, that order's invoice, if any. */
    @GetMapping
    List<InvoiceView> list(@RequestParam(required = false) String orderId) {
        List<Invoice> found = orderId == null ? invoices.all() : invoices.ofOrder(orderId).stream().toList();
        return found.stream().map(InvoiceView::of).toList();
    }

    @GetMapping("/{id}")
    InvoiceView get(@PathVariable String id) {
        return invoices.find(id).map(InvoiceView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No invoice " + id));
    }

    record InvoiceView(String id, String orderId, String customerId, BigDecimal amount, Instant issuedAt) {

        static InvoiceView of(Invoice invoice) {
            return new InvoiceView(invoice.getId(), invoice.getOrderId(), invoice.getCustomerId(), invoice.getAmount(),
                    invoice.getIssuedAt());
        }
    }
}
