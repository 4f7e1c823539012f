package io.tributary.client.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTest {

    @EventType("OrderPlaced")
    record OrderPlaced(String orderId, BigDecimal total) {
    }

    record Unannotated(String id) {
    }

    // An application whose REST API refuses unknown fields must still read events that gained a field.
    private final EventCodec codec = new EventCodec(
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
            new EventTypes().register(OrderPlaced.class));

    @Test
    void anEventRoundTripsUnderItsName() {
        OrderPlaced event = new OrderPlaced("o-1", new BigDecimal("39.80"));
        assertThat(codec.typeOf(event)).isEqualTo("OrderPlaced");
        assertThat(codec.decode("OrderPlaced", codec.encode(event))).isEqualTo(event);
    }

    @Test
    void fieldsTheReaderDoesNotKnowAreSkipped() {
        byte[] newer = "{\"orderId\":\"o-1\",\"total\":1.50,\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode("OrderPlaced", newer)).isEqualTo(new OrderPlaced("o-1", new BigDecimal("1.50")));
    }

    @Test
    void unannotatedClassesGoByTheirSimpleName() {
        assertThat(codec.typeOf(new Unannotated("x"))).isEqualTo("Unannotated");
        assertThat(codec.eventTypes().classOf("Unannotated")).contains(Unannotated.class);
    }

    @Test
    void whatCannotBeReadFailsWithTheReason() {
        assertThatThrownBy(() -> codec.decode("OrderShipped", new byte[0]))
                .isInstanceOf(UnknownEventTypeException.class).hasMessageContaining("OrderShipped");
        assertThatThrownBy(() -> codec.decode("OrderPlaced", "{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventPayloadException.class).hasMessageContaining("not a valid OrderPlaced");
        assertThatThrownBy(() -> codec.decode("OrderPlaced", null))
                .isInstanceOf(EventPayloadException.class).hasMessageContaining("no value");
    }

    @Test
    void oneNameCannotMeanTwoClasses() {
        assertThatThrownBy(() -> codec.eventTypes().register("OrderPlaced", Unannotated.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registered twice");
    }
}
