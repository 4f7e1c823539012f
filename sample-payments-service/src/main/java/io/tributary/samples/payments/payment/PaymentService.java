package io.tributary.samples.payments.payment;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.tributary.client.idempotent.IdempotentConsumer;
import io.tributary.client.outbox.Outbox;
import io.tributary.samples.payments.events.OrderCreated;
import io.tributary.samples.payments.events.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Charges orders, once each, and reads the payments back. */
@Service
public class PaymentService {

    private static final Log logger = LogFactory.getLog(PaymentService.class);

    private final PaymentRepository payments;
    private final SimulatedPaymentGateway gateway;
    private final Outbox outbox;
    private final IdempotentConsumer idempotentConsumer;
    private final Clock clock;

    PaymentService(PaymentRepository payments, SimulatedPaymentGateway gateway, Outbox outbox,
            IdempotentConsumer idempotentConsumer) {
        this.payments = payments;
        this.gateway = gateway;
        this.outbox = outbox;
        this.idempotentConsumer = idempotentConsumer;
        this.clock = Clock.systemUTC();
    }

    /**
     * Charges the order unless it was charged already, and stores the payment with its outcome event in one
     * transaction. A redelivered event is skipped by its id; the same order published again under a new event id
     * finds its payment, and two instances racing on it meet at the unique order id, where the loser rolls back
     * and, retried, finds the winner's payment. Returns whether this call charged the order.
     */
    @Transactional
    public boolean charge(String eventId, OrderCreated order) {
        boolean[] charged = {false};
        idempotentConsumer.runOnce(eventId, () -> {
            if (payments.existsByOrderId(order.orderId())) {
                return;
            }
            GatewayDecision decision = gateway.charge(order.customerId(), order.total());
            Payment payment = payments.save(Payment.of(order.orderId(), order.customerId(), order.total(), decision,
                    clock.instant()));
            outbox.append(Topics.PAYMENTS, payment.getOrderId(), payment.outcome());
            logger.info("Charged order " + order.orderId() + ": " + payment.getStatus());
            charged[0] = true;
        });
        return charged[0];
    }

    public Optional<Payment> find(String id) {
        return payments.findById(id);
    }

    public Optional<Payment> ofOrder(String orderId) {
        return payments.findByOrderId(orderId);
    }

    public List<Payment> all() {
        return payments.findAllByOrderByProcessedAtDesc();
    }
}
