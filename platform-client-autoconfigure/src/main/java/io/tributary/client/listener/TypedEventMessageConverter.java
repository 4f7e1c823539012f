package io.tributary.client.listener;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.MissingEventKeyException;
import io.tributary.client.topics.TopicDeclarations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.support.SimpleKafkaHeaderMapper;
import org.springframework.kafka.support.converter.MessagingMessageConverter;

/**
 * Hands listener methods typed events. The {@value EventHeaders#EVENT_TYPE} header picks the class, so a
 * class-level {@code @KafkaListener} with one {@code @KafkaHandler} per event type can read a topic that
 * carries several (the types come from {@link io.tributary.client.events.EventType} classes in the
 * application's packages, and from the listener method's own parameter). A record without the header is
 * read as the method's parameter type. Methods that take
 * {@code byte[]}, {@code String} or the {@code ConsumerRecord} itself get the record unconverted.
 * <p>
 * Whatever cannot be read (unknown type, bad JSON, a missing key where the topic requires one) fails
 * with an {@link io.tributary.client.events.EventException}, which the error handler sends to the
 * dead-letter topic without retrying.
 */
public class TypedEventMessageConverter extends MessagingMessageConverter {

    private final EventCodec codec;
    private final TopicDeclarations topics;

    public TypedEventMessageConverter(EventCodec codec, TopicDeclarations topics) {
        this.codec = codec;
        this.topics = topics;
        SimpleKafkaHeaderMapper headerMapper = new SimpleKafkaHeaderMapper();
        // Our headers reach @Header parameters as Strings rather than raw bytes.
        headerMapper.setRawMappedHeaders(Map.of(
                EventHeaders.EVENT_TYPE, true,
                EventHeaders.EVENT_ID, true,
                EventHeaders.DEAD_LETTER_REASON, true,
                EventHeaders.DEAD_LETTER_ATTEMPTS, true));
        setHeaderMapper(headerMapper);
    }

    @Override
    protected Object extractAndConvertValue(ConsumerRecord<?, ?> record, Type type) {
        if (record.key() == null && topics.keyRequired(record.topic())) {
            throw new MissingEventKeyException(record.topic());
        }
        Class<?> target = type == null ? Object.class : ResolvableType.forType(type).toClass();
        Object value = record.value();
        if (!(value instanceof byte[] payload) || target == byte[].class || target == ConsumerRecord.class) {
            return super.extractAndConvertValue(record, type);
        }
        if (target == String.class) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        Header typeHeader = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
        if (typeHeader != null) {
            String typeName = new String(typeHeader.value(), StandardCharsets.UTF_8);
            if (target != Object.class && typeName.equals(codec.eventTypes().nameOf(target))) {
                return codec.decode(payload, target);
            }
            return codec.decode(typeName, payload);
        }
        if (target == Object.class) {
            throw new io.tributary.client.events.UnknownEventTypeException("(none: the record has no "
                    + EventHeaders.EVENT_TYPE + " header)");
        }
        return codec.decode(payload, target);
    }
}
