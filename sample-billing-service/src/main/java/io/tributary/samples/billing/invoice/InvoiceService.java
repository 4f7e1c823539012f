package io.tributary.samples.billing.invoice;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.tributary.client.idempotent.IdempotentConsumer;
import io.tributary.client.outbox.Outbox;
import io.tributary.samples.billing.events.PaymentProcessed;
import io.tributary.samples.billing.events.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Invoices paid orders, once each, and reads the invoices back. */
@Service
public class InvoiceService {

    private static final Log logger = LogFactory.getLog(InvoiceService.class);

    private final InvoiceRepository invoices;
    private final Outbox outbox;
    private final IdempotentConsumer idempotentConsumer;
    private final Clock clock;

    InvoiceService(InvoiceRepository invoices, Outbox outbox, IdempotentConsumer idempotentConsumer) {
        this.invoices = invoices;
        this.outbox = outbox;
        this.idempotentConsumer = idempotentConsumer;
        this.clock = Clock.systemUTC();
    }

    /**
     * Invoices the paid order unless it was invoiced already, and stores the invoice with its InvoiceIssued event
     * in one transaction. A redelivered event is skipped by its id; the same payment published again under a new
     * event id finds the order's invoice, and two instances racing on it meet at the unique order id, where the
     * loser rolls back and, retried, finds the winner's invoice. Returns whether this call issued the invoice.
     */
    @Transactional
    public boolean issue(String eventId, PaymentProcessed payment) {
        boolean[] issued = {false};
        idempotentConsumer.runOnce(eventId, () -> {
            if (invoices.existsByOrderId(payment.orderId())) {
                return;
            }
            Invoice invoice = invoices.save(Invoice.issue(payment.orderId(), payment.customerId(), payment.amount(),
                    clock.instant()));
            outbox.append(Topics.INVOICES, invoice.getOrderId(), invoice.issued());
            logger.info("Invoiced order " + payment.orderId());
            issued[0] = true;
        });
        return issued[0];
    }

    public Optional<Invoice> find(String id) {
        return invoices.findById(id);
    }

    public Optional<Invoice> ofOrder(String orderId) {
        return invoices.findByOrderId(orderId);
    }

    public List<Invoice> all() {
        return invoices.findAllByOrderByIssuedAtDesc();
    }
}
