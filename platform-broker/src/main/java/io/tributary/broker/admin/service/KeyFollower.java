package io.tributary.broker.admin.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.tributary.broker.admin.service.RecordBrowser.RecordView;
import io.tributary.broker.metadata.TopicInfo;

/**
 * Follows one key across topics: every record with that key, from the partition Kafka's default
 * partitioner sends the key to in each topic, on one timeline with the time from each step to the
 * next. In the reference stack the key is the order id, so an order's OrderCreated, PaymentProcessed
 * and InvoiceIssued line up.
 */
public final class KeyFollower {

    /**
     * One record on the timeline.
     *
     * @param eventType   the {@code tributary-event-type} header, when the record has one
     * @param sincePrevious milliseconds since the previous step, or -1 for the first
     */
    public record Step(String topic, int partition, RecordView record, String eventType, long sincePrevious) {
    }

    /**
     * @param missing the chosen topics that do not exist
     */
    public record Timeline(String key, List<String> topics, List<Step> steps, List<String> missing) {

        /** Milliseconds from the first step to the last. */
        public long span() {
            return steps.size() < 2 ? 0 : steps.get(steps.size() - 1).record().timestamp() - steps.get(0).record().timestamp();
        }
    }

    private static final String EVENT_TYPE_HEADER = "tributary-event-type";

    private final TopicAdmin topics;
    private final RecordBrowser records;

    public KeyFollower(TopicAdmin topics, RecordBrowser records) {
        this.topics = topics;
        this.records = records;
    }

    public Timeline follow(String key, List<String> topicNames) {
        if (key == null || key.isBlank()) {
            throw AdminProblems.badRequest("Enter a key to follow");
        }
        List<String> chosen = topicNames.stream().filter(t -> t != null && !t.isBlank()).map(String::strip)
                .distinct().toList();
        if (chosen.isEmpty()) {
            throw AdminProblems.badRequest("Choose at least one topic");
        }
        List<String> missing = new ArrayList<>();
        record Found(String topic, int partition, RecordView view) {
        }
        List<Found> found = new ArrayList<>();
        for (String name : chosen) {
            TopicInfo topic = topics.find(name).orElse(null);
            if (topic == null) {
                missing.add(name);
                continue;
            }
            int partition = RecordBrowser.partitionForKey(key, topic.partitionCount());
            for (RecordView view : records.withKey(topic, key)) {
                found.add(new Found(name, partition, view));
            }
        }
        found.sort(Comparator.comparingLong((Found f) -> f.view().timestamp())
                .thenComparing(Found::topic).thenComparingLong(f -> f.view().offset()));
        List<Step> steps = new ArrayList<>();
        long previous = -1;
        for (Found f : found) {
            long since = previous < 0 ? -1 : f.view().timestamp() - previous;
            steps.add(new Step(f.topic(), f.partition(), f.view(), f.view().header(EVENT_TYPE_HEADER), since));
            previous = f.view().timestamp();
        }
        return new Timeline(key, chosen, steps, missing);
    }
}
