package io.tributary.broker.transaction;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The read-only views of the transactions this broker coordinates, for DescribeTransactions and
 * ListTransactions (Kafka's {@code handleDescribeTransactions} and {@code listTransactionStates}): what
 * is held now, never a step.
 *
 * <p>Thread-safe.
 */
final class TransactionDescriber {

    private final TransactionStateManager state;
    private final Clock clock;

    TransactionDescriber(TransactionStateManager state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** DescribeTransactions of one id. */
    DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState described = new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(transactionalId);
        if (transactionalId == null || transactionalId.isEmpty()) {
            return described.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        Errors error = state.coordinatorError(state.partitionFor(transactionalId));
        if (error != Errors.NONE) {
            return described.setErrorCode(error.code());
        }
        TransactionMetadata metadata = state.metadata(transactionalId).orElse(null);
        TransactionSnapshot current = metadata == null ? null : metadata.current();
        if (current == null || current.state() == TransactionState.DEAD || current.producerEpoch() < 0) {
            return described.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        for (TopicPartition tp : current.partitions()) {
            DescribeTransactionsResponseData.TopicData topic = described.topics().find(tp.topic());
            if (topic == null) {
                topic = new DescribeTransactionsResponseData.TopicData().setTopic(tp.topic());
                described.topics().add(topic);
            }
            topic.partitions().add(tp.partition());
        }
        return described.setErrorCode(Errors.NONE.code()).setProducerId(current.producerId())
                .setProducerEpoch(current.producerEpoch()).setTransactionState(current.state().kafkaName())
                .setTransactionTimeoutMs(current.timeoutMs()).setTransactionStartTimeMs(current.startTimestamp());
    }

    /**
     * ListTransactions over the partitions this broker coordinates, filtered as Kafka filters (states by
     * Kafka's names, producer ids, running longer than {@code durationFilterMs}, ids matching a pattern).
     */
    ListTransactionsResponseData list(Collection<String> stateFilters, Collection<Long> producerIdFilters,
            long durationFilterMs, String transactionalIdPattern) {
        ListTransactionsResponseData data = new ListTransactionsResponseData().setErrorCode(Errors.NONE.code());
        Set<TransactionState> states = new HashSet<>();
        for (String name : stateFilters) {
            TransactionState.fromKafkaName(name).ifPresentOrElse(states::add, () -> data.unknownStateFilters().add(name));
        }
        if (!data.unknownStateFilters().isEmpty() && states.isEmpty()) {
            return data; // every filter names an unknown state: nothing can match
        }
        Pattern pattern;
        try {
            pattern = transactionalIdPattern == null || transactionalIdPattern.isEmpty() ? null
                    : Pattern.compile(transactionalIdPattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            return data.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        long now = clock.millis();
        state.shards().values().forEach(shard -> shard.all().forEach(metadata -> {
            TransactionSnapshot current = metadata.current();
            boolean listed = current.state() != TransactionState.DEAD && current.producerEpoch() >= 0
                    && (states.isEmpty() || states.contains(current.state()))
                    && (producerIdFilters.isEmpty() || producerIdFilters.contains(current.producerId()))
                    && (durationFilterMs < 0 || (current.state() == TransactionState.ONGOING
                            && now - current.startTimestamp() > durationFilterMs))
                    && (pattern == null || pattern.matcher(metadata.transactionalId).matches());
            if (listed) {
                data.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(metadata.transactionalId).setProducerId(current.producerId())
                        .setTransactionState(current.state().kafkaName()));
            }
        }));
        return data;
    }
}
