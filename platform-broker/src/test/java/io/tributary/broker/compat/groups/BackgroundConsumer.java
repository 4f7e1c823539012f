package io.tributary.broker.compat.groups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.clients.consumer.CommitFailedException;

/**
 * A KafkaConsumer run the way an application runs one: its own thread polls in a loop, processes
 * (records) what it gets, commits synchronously after each non-empty poll, and tells what
 * happened: records, current assignment, rebalance callbacks, and the error that stopped it.
 */
final class BackgroundConsumer implements AutoCloseable {

    /** A rebalance callback as the application saw it. */
    record RebalanceEvent(String kind, Set<TopicPartition> partitions) {
    }

    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final ConcurrentLinkedQueue<ConsumerRecord<String, String>> records = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RebalanceEvent> events = new ConcurrentLinkedQueue<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile Throwable failure;
    private volatile boolean running = true;
    private volatile CloseOptions closeOptions = CloseOptions.timeout(Duration.ofSeconds(10));
    private final ConsumerRebalanceListener listener;

    BackgroundConsumer(String name, String bootstrap, String groupId, Map<String, Object> overrides, Collection<String> topics) {
        this(name, bootstrap, groupId, overrides, topics, null);
    }

    /** @param listener told of every rebalance callback too, on the consumer's thread, after it is recorded */
    BackgroundConsumer(String name, String bootstrap, String groupId, Map<String, Object> overrides, Collection<String> topics,
            ConsumerRebalanceListener listener) {
        this(name, bootstrap, groupId, overrides, (consumer, callbacks) -> consumer.subscribe(List.copyOf(topics), callbacks),
                listener);
    }

    private BackgroundConsumer(String name, String bootstrap, String groupId, Map<String, Object> overrides,
            BiConsumer<KafkaConsumer<String, String>, ConsumerRebalanceListener> subscription, ConsumerRebalanceListener listener) {
        this.name = name;
        this.listener = listener;
        this.consumer = GroupClients.consumer(bootstrap, groupId, withClientId(overrides, name));
        this.thread = new Thread(() -> run(subscription), "consumer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A consumer of the topics matching a regular expression the coordinator resolves (KIP-848, {@code group.protocol=consumer}). */
    static BackgroundConsumer withPattern(String name, String bootstrap, String groupId, Map<String, Object> overrides,
            String regex) {
        return new BackgroundConsumer(name, bootstrap, groupId, overrides,
                (consumer, callbacks) -> consumer.subscribe(new SubscriptionPattern(regex), callbacks), null);
    }

    private static Map<String, Object> withClientId(Map<String, Object> overrides, String name) {
        Map<String, Object> config = new java.util.HashMap<>(overrides);
        config.putIfAbsent("client.id", name);
        return config;
    }

    private void run(BiConsumer<KafkaConsumer<String, String>, ConsumerRebalanceListener> subscription) {
        try {
            subscription.accept(consumer, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent("revoked", Set.copyOf(partitions)));
                    if (listener != null) {
                        listener.onPartitionsRevoked(partitions);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent("assigned", Set.copyOf(partitions)));
                    if (listener != null) {
                        listener.onPartitionsAssigned(partitions);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    events.add(new RebalanceEvent("lost", Set.copyOf(partitions)));
                    if (listener != null) {
                        listener.onPartitionsLost(partitions);
                    }
                }
            });
            while (running) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(100));
                polled.forEach(records::add);
                assignment = Set.copyOf(consumer.assignment());
                if (!polled.isEmpty()) {
                    try {
                        consumer.commitSync();
                    } catch (RebalanceInProgressException | CommitFailedException | RetriableCommitFailedException e) {
                        // The group moved on: what was not committed is consumed again (at least once).
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up.
        } catch (Throwable e) {
            failure = e;
        } finally {
            assignment = Set.of();
            try {
                consumer.close(closeOptions);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    String name() {
        return name;
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    List<ConsumerRecord<String, String>> records() {
        return new ArrayList<>(records);
    }

    int recordCount() {
        return records.size();
    }

    List<RebalanceEvent> events() {
        return new ArrayList<>(events);
    }

    /** Partitions revoked or lost so far. */
    Set<TopicPartition> revokedOrLost() {
        Set<TopicPartition> result = new HashSet<>();
        events.stream().filter(e -> !e.kind().equals("assigned")).forEach(e -> result.addAll(e.partitions()));
        return result;
    }

    Throwable failure() {
        return failure;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops polling and closes the consumer with the given options (leaving the group or not). */
    void stop(CloseOptions options) {
        closeOptions = options;
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("consumer " + name + " did not stop");
        }
    }

    /** Stops polling and closes the consumer as an application does (a dynamic member leaves the group). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            stop(closeOptions);
        }
    }
}
