package io.tributary.client.listener;

import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.config.ShareKafkaListenerContainerFactory;
import org.springframework.kafka.core.ShareConsumerFactory;
import org.springframework.kafka.listener.ShareKafkaMessageListenerContainer;
import org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * Spring for Apache Kafka's share-group listener container factory, whose {@code @KafkaListener} methods get the
 * record through the service's {@link RecordMessageConverter}: typed events on a queue, as on a consumer group.
 * Spring Kafka 4.0's share factory hands its endpoints no converter (unlike the consumer-group factory, which takes
 * one), so this sets it on the listener adapter once the container is built, before it starts — where the
 * consumer-group factory's endpoint would have set it.
 */
public class TypedEventShareListenerContainerFactory<K, V> extends ShareKafkaListenerContainerFactory<K, V> {

    private final RecordMessageConverter messageConverter;

    public TypedEventShareListenerContainerFactory(ShareConsumerFactory<K, V> consumerFactory,
            RecordMessageConverter messageConverter) {
        super(consumerFactory);
        this.messageConverter = messageConverter;
    }

    @Override
    public ShareKafkaMessageListenerContainer<K, V> createListenerContainer(KafkaListenerEndpoint endpoint) {
        ShareKafkaMessageListenerContainer<K, V> container = super.createListenerContainer(endpoint);
        if (container.getContainerProperties().getMessageListener() instanceof MessagingMessageListenerAdapter<?, ?> adapter) {
            adapter.setMessageConverter(messageConverter);
        }
        return container;
    }
}
