package io.tributary.broker.metadata;

import java.util.Locale;
import java.util.Objects;

/**
 * Where clients of one named listener reach a broker ({@code SASL_SSL://broker-1.example:9093}):
 * Metadata answers a client with the endpoints of the listener it connected to.
 *
 * @param name the listener's name, upper case as Kafka writes it ({@code PLAINTEXT}, {@code INTERNAL}, …)
 */
public record AdvertisedListener(String name, String host, int port) {

    public AdvertisedListener {
        name = Objects.requireNonNull(name, "name").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return name + "://" + host + ":" + port;
    }
}
