package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What share consumers were handed and which of their acceptances the brokers confirmed, per record
 * value, in one global order: the referee of "a record whose acceptance was confirmed is never delivered
 * again". A delivery gets a sequence number when the consumer sees it; a confirmation one when
 * {@code commitSync} answered without an error for the record's partition.
 *
 * <p>An acceptance whose commit failed has an unknown outcome: the broker that took it may have stored it
 * and died before it answered (then the record is done and never comes back), or not (then the record is
 * delivered again once its lock runs out). Such a record is settled by the broker's word, not the ledger's.
 * Thread-safe.
 */
final class ShareDeliveryLedger {

    /** One hand-out of a record to a consumer. */
    record Delivery(long sequence, String consumer, int partition, long offset, short deliveryCount, String value) {
    }

    private final Set<String> produced = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Delivery>> deliveries = new HashMap<>();
    /** The confirmed delivery of each record and the sequence number of its confirmation. */
    private final Map<String, Long> confirmedAt = new HashMap<>();
    /** The records whose latest delivery was accepted in a commit that failed, by the sequence of that delivery. */
    private final Map<String, Long> unknownOutcome = new HashMap<>();
    private final int[] confirmedPerPartition;
    private final List<String> violations = new ArrayList<>();
    private long sequence;
    /** Members stop polling once this many acceptances are confirmed, so that a test can act while work is left. */
    private int pauseAt = Integer.MAX_VALUE;

    ShareDeliveryLedger(int partitions) {
        this.confirmedPerPartition = new int[partitions];
    }

    void produced(String value) {
        produced.add(value);
    }

    synchronized Delivery delivered(String consumer, int partition, long offset, short deliveryCount, String value) {
        Delivery delivery = new Delivery(++sequence, consumer, partition, offset, deliveryCount, value);
        if (!produced.contains(value)) {
            violations.add("delivered but never produced: " + delivery);
        }
        if (confirmedAt.containsKey(value)) {
            violations.add("delivered again after its acceptance was confirmed: " + delivery);
        }
        deliveries.computeIfAbsent(value, v -> new ArrayList<>()).add(delivery);
        return delivery;
    }

    /** The acceptance of these deliveries was confirmed (commitSync answered NONE for their partitions). */
    synchronized void confirmed(List<Delivery> accepted) {
        long at = ++sequence;
        for (Delivery delivery : accepted) {
            if (confirmedAt.putIfAbsent(delivery.value(), at) != null) {
                violations.add("accepted and confirmed twice: " + delivery + ", all " + deliveries.get(delivery.value()));
                continue;
            }
            // A later hand-out of the record that raced this confirmation counts too.
            for (Delivery other : deliveries.get(delivery.value())) {
                if (other.sequence() > delivery.sequence()) {
                    violations.add("delivered to " + other + " while " + delivery + " held it, whose acceptance was confirmed");
                }
            }
            confirmedPerPartition[delivery.partition()]++;
        }
    }

    /** These deliveries were accepted, but their commit failed: the acceptance may or may not have been stored. */
    synchronized void outcomeUnknown(List<Delivery> accepted) {
        accepted.forEach(delivery -> unknownOutcome.put(delivery.value(), delivery.sequence()));
    }

    /** Members pause once {@code confirmed} acceptances are confirmed, until {@link #resume()}. */
    synchronized void pauseAt(int confirmed) {
        pauseAt = confirmed;
        notifyAll();
    }

    synchronized void resume() {
        pauseAt(Integer.MAX_VALUE);
    }

    /** Returns at once while members may go on; otherwise after a resume or {@code maxWaitMs}. */
    synchronized void awaitGo(long maxWaitMs) throws InterruptedException {
        if (confirmedAt.size() >= pauseAt) {
            wait(maxWaitMs);
        }
    }

    synchronized boolean paused() {
        return confirmedAt.size() >= pauseAt;
    }

    synchronized int confirmed() {
        return confirmedAt.size();
    }

    synchronized int confirmed(int partition) {
        return confirmedPerPartition[partition];
    }

    /**
     * Whether every record produced so far has been accepted: with confirmation, or, in its latest delivery,
     * in a commit whose outcome is unknown.
     */
    synchronized boolean allAccepted() {
        return produced.stream().allMatch(value -> confirmedAt.containsKey(value) || isLatestAcceptanceUnknown(value));
    }

    private boolean isLatestAcceptanceUnknown(String value) {
        List<Delivery> handedOut = deliveries.get(value);
        Long unknown = unknownOutcome.get(value);
        return handedOut != null && unknown != null && handedOut.get(handedOut.size() - 1).sequence() == unknown;
    }

    /** Records accepted without confirmation in their latest delivery (see {@link #allAccepted()}). */
    synchronized int acceptedWithUnknownOutcome() {
        return (int) produced.stream().filter(value -> !confirmedAt.containsKey(value) && isLatestAcceptanceUnknown(value))
                .count();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Produced records that no consumer ever received. */
    synchronized List<String> neverDelivered() {
        return produced.stream().filter(value -> !deliveries.containsKey(value)).sorted().toList();
    }

    /** Where the records stand, for a failure message: never delivered, and delivered without a confirmed acceptance. */
    synchronized String summary() {
        List<String> neverDelivered = neverDelivered();
        List<Delivery> unconfirmed = deliveries.entrySet().stream().filter(e -> !confirmedAt.containsKey(e.getKey()))
                .map(e -> e.getValue().get(e.getValue().size() - 1)).sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .toList();
        return confirmedAt.size() + " of " + produced.size() + " confirmed (" + confirmedPerPartition[0] + " of partition 0); "
                + neverDelivered.size() + " never delivered, e.g. " + neverDelivered.stream().limit(5).toList() + "; "
                + unconfirmed.size() + " delivered but never confirmed (" + acceptedWithUnknownOutcome()
                + " accepted in a commit that failed), last deliveries e.g. " + unconfirmed.stream().limit(5).toList();
    }

    /** Records handed out more than once (each earlier hand-out unconfirmed, as {@link #violations} checks). */
    synchronized int redelivered() {
        return (int) deliveries.values().stream().filter(list -> list.size() > 1).count();
    }

    synchronized int deliveries() {
        return deliveries.values().stream().mapToInt(List::size).sum();
    }
}
