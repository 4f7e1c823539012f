package io.tributary.samples.payments.payment;

import java.math.BigDecimal;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a card processor whose answers are known in advance, so that demos and tests can tell what
 * must become of an order. The rules, checked in this order:
 * <ol>
 * <li>a total above {@code payments.gateway.limit} (1000.00) is declined: "amount exceeds the 1000.00 limit";</li>
 * <li>a customer whose id starts with {@code payments.gateway.blocked-prefix} ({@code blocked-}) is declined:
 * "customer is blocked";</li>
 * <li>everything else is approved.</li>
 * </ol>
 * Stateless and thread-safe; it charges nothing, so calling it twice for an order is harmless here, but a real
 * gateway would charge twice: {@link PaymentService} calls it once per order.
 */
@Component
class SimulatedPaymentGateway {

    private final GatewayProperties rules;

    SimulatedPaymentGateway(GatewayProperties rules) {
        this.rules = rules;
    }

    GatewayDecision charge(String customerId, BigDecimal amount) {
        if (amount.compareTo(rules.limit()) > 0) {
            return GatewayDecision.decline("amount exceeds the " + rules.limit().toPlainString() + " limit");
        }
        if (customerId.startsWith(rules.blockedPrefix())) {
            return GatewayDecision.decline("customer is blocked");
        }
        return GatewayDecision.approve();
    }
}
