package io.tributary.samples.payments.payment;

/** The gateway's answer; a payment never changes it afterwards. */
public enum PaymentStatus {
    APPROVED, DECLINED
}
