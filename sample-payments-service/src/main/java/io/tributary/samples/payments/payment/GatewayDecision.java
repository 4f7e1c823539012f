package io.tributary.samples.payments.payment;

/** What the gateway answered to one charge: approved, or declined with a reason for the customer. */
record GatewayDecision(PaymentStatus status, String reason) {

    static GatewayDecision approve() {
        return new GatewayDecision(PaymentStatus.APPROVED, null);
    }

    static GatewayDecision decline(String reason) {
        return new GatewayDecision(PaymentStatus.DECLINED, reason);
    }
}
