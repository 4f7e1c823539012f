package io.tributary.samples.payments.payment;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rules of the {@link SimulatedPaymentGateway}, under {@code payments.gateway}.
 *
 * @param limit         the highest total the gateway approves; a total above it is declined
 * @param blockedPrefix customers whose id starts with this are declined whatever the total
 */
@ConfigurationProperties("payments.gateway")
public record GatewayProperties(@DefaultValue("1000.00") BigDecimal limit, @DefaultValue("blocked-") String blockedPrefix) {
}
