package io.tributary.broker.cluster.balancer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ThrottledReplicas;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * The replication throttles the self-balancer puts on its own moves and takes back, as Kafka's
 * reassignment tool and Cruise Control do, and the bookkeeping of what it set:
 * <ul>
 * <li>for each move, the topic's {@code leader.replication.throttled.replicas} gets the partition's
 *     current replicas (any of them may lead while it moves) and {@code follower.replication.throttled.replicas}
 *     the replica being added; only the entries that were not listed already are added, and only those
 *     are removed once the partition no longer moves;</li>
 * <li>while it has moves in flight, each cluster-wide default rate ({@code leader.replication.throttled.rate},
 *     {@code follower.replication.throttled.rate}) that is unset gets the balancer's rate; once none is
 *     left, a rate it set is removed if it still has the value it was given. One an operator set or
 *     changed meanwhile is theirs and stays.</li>
 * </ul>
 * The bookkeeping is this broker's memory: should it die with moves in flight, what it set stays in
 * the metadata until an operator removes it ({@code kafka-configs --delete-config}). A broker that stops
 * being the controller still takes back what it set, through the quorum.
 *
 * <p>Not thread-safe: the balancer's own thread calls it.
 */
final class BalancerThrottles {

    private static final List<String> RATES = List.of(BrokerConfigs.LEADER_REPLICATION_THROTTLED_RATE,
            BrokerConfigs.FOLLOWER_REPLICATION_THROTTLED_RATE);

    /** A partition of a topic incarnation: a topic deleted and created again is another. */
    record Key(Uuid topicId, String topic, int partition) {
    }

    /** The throttled-replica entries ({@code partition:broker}) the balancer added for one of its moves. */
    record Entries(Set<String> leader, Set<String> follower) {
    }

    private final String rate;
    private final Supplier<MetadataImage> image;
    private final Function<MetadataCommand, CommandResult> submit;
    /** The balancer's moves in flight, with the entries it added for each. */
    private final Map<Key, Entries> moves = new LinkedHashMap<>();
    /** The cluster-wide default rates the balancer set, with the value it set. */
    private final Map<String, String> ratesSet = new TreeMap<>();

    /**
     * @param bytesPerSecond the rate the balancer's moves get where no rate is set
     * @param image          the current metadata
     * @param submit         commits a command through the quorum
     */
    BalancerThrottles(long bytesPerSecond, Supplier<MetadataImage> image, Function<MetadataCommand, CommandResult> submit) {
        this.rate = Long.toString(bytesPerSecond);
        this.image = image;
        this.submit = submit;
    }

    /**
     * Throttles a move before it starts: the topic's throttled-replica lists, then the default rates.
     *
     * @return why it could not (the topic is gone, the quorum refused), or empty once it is throttled
     */
    Optional<String> throttle(BalancePlanner.Move move) {
        MetadataImage current = image.get();
        TopicState topic = current.topics().get(move.topic());
        if (topic == null) {
            return Optional.of("topic " + move.topic() + " no longer exists");
        }
        Map<String, String> configs = new HashMap<>(topic.info().configs());
        Set<String> leader = add(configs, ThrottledReplicas.LEADER_CONFIG, move.partition(), move.from());
        Set<String> follower = add(configs, ThrottledReplicas.FOLLOWER_CONFIG, move.partition(), move.added());
        if (!leader.isEmpty() || !follower.isEmpty()) {
            CommandResult result = submit.apply(new ReplaceConfigs(move.topic(), configs));
            if (result.error() != Errors.NONE) {
                return Optional.of(result.error().name() + ": " + result.message());
            }
        }
        moves.put(new Key(topic.info().id(), move.topic(), move.partition()), new Entries(leader, follower));
        setRates();
        return Optional.empty();
    }

    /** Takes back at once what {@link #throttle} set for a move that did not start. */
    void abandon(BalancePlanner.Move move) {
        moves.keySet().stream().filter(k -> k.topic().equals(move.topic()) && k.partition() == move.partition())
                .findFirst().ifPresent(key -> release(List.of(key)));
        releaseRatesIfIdle();
    }

    /**
     * Takes back the entries of the balancer's moves that finished (completed, cancelled, or their topic
     * deleted), then, when none is left in flight, the rates it set.
     */
    void releaseFinished() {
        MetadataImage current = image.get();
        List<Key> finished = moves.keySet().stream().filter(key -> !isMoving(current, key)).toList();
        release(finished);
        releaseRatesIfIdle();
    }

    /** The balancer's moves in flight. */
    List<Key> keys() {
        return List.copyOf(moves.keySet());
    }

    /** The cluster-wide default rates the balancer set and has not taken back yet. */
    Map<String, String> ratesSet() {
        return Map.copyOf(ratesSet);
    }

    private void setRates() {
        Map<String, String> defaults = new TreeMap<>(image.get().brokerConfigs().clusterDefault());
        List<String> setting = RATES.stream().filter(name -> !defaults.containsKey(name)).toList();
        if (setting.isEmpty()) {
            return;
        }
        setting.forEach(name -> defaults.put(name, rate));
        if (submit.apply(new ReplaceBrokerConfigs(DynamicBrokerConfigs.CLUSTER_DEFAULT, defaults)).error() == Errors.NONE) {
            setting.forEach(name -> ratesSet.put(name, rate));
        }
    }

    private void releaseRatesIfIdle() {
        if (!moves.isEmpty() || ratesSet.isEmpty()) {
            return;
        }
        Map<String, String> defaults = new TreeMap<>(image.get().brokerConfigs().clusterDefault());
        List<String> ours = ratesSet.entrySet().stream().filter(e -> e.getValue().equals(defaults.get(e.getKey())))
                .map(Map.Entry::getKey).toList();
        if (!ours.isEmpty()) {
            ours.forEach(defaults::remove);
            if (submit.apply(new ReplaceBrokerConfigs(DynamicBrokerConfigs.CLUSTER_DEFAULT, defaults)).error() != Errors.NONE) {
                return; // the next round tries again
            }
        }
        ratesSet.clear();
    }

    /** Removes the entries of these moves from their topics' lists, one command per topic, and forgets them. */
    private void release(List<Key> keys) {
        MetadataImage current = image.get();
        Map<String, List<Key>> byTopic = new TreeMap<>();
        keys.forEach(key -> byTopic.computeIfAbsent(key.topic(), t -> new ArrayList<>()).add(key));
        byTopic.forEach((name, topicKeys) -> {
            TopicState topic = current.topics().get(name);
            List<Key> same = topicKeys.stream().filter(k -> topic != null && topic.info().id().equals(k.topicId())).toList();
            if (!same.isEmpty()) {
                Map<String, String> configs = new HashMap<>(topic.info().configs());
                boolean changed = false;
                for (Key key : same) {
                    changed |= remove(configs, ThrottledReplicas.LEADER_CONFIG, moves.get(key).leader());
                    changed |= remove(configs, ThrottledReplicas.FOLLOWER_CONFIG, moves.get(key).follower());
                }
                if (changed && submit.apply(new ReplaceConfigs(name, configs)).error() != Errors.NONE) {
                    return; // kept, to be taken back at the next round
                }
            }
            topicKeys.forEach(moves::remove);
        });
    }

    /** Whether that partition is still moving: false once its move completed or was cancelled, or its topic is gone. */
    static boolean isMoving(MetadataImage image, Key key) {
        TopicState topic = image.topics().get(key.topic());
        if (topic == null || !topic.info().id().equals(key.topicId()) || key.partition() >= topic.partitions().size()) {
            return false;
        }
        PartitionState state = topic.partitions().get(key.partition());
        return state.isReassigning();
    }

    /**
     * Adds {@code partition:broker} for each broker to the list {@code name} of {@code configs}, unless it is
     * listed or the list is {@code *} (every replica throttled already).
     *
     * @return the entries added
     */
    private static Set<String> add(Map<String, String> configs, String name, int partition, List<Integer> brokers) {
        String value = configs.getOrDefault(name, "").trim();
        if (value.equals("*")) {
            return Set.of();
        }
        Set<String> entries = entries(value);
        Set<String> added = new LinkedHashSet<>();
        for (int broker : brokers) {
            String entry = partition + ":" + broker;
            if (entries.add(entry)) {
                added.add(entry);
            }
        }
        if (!added.isEmpty()) {
            configs.put(name, String.join(",", entries));
        }
        return added;
    }

    /** Removes these entries from the list {@code name}, and the config when nothing is left; whether it changed. */
    private static boolean remove(Map<String, String> configs, String name, Set<String> ours) {
        String value = configs.get(name);
        if (value == null || ours.isEmpty()) {
            return false;
        }
        Set<String> entries = entries(value.trim());
        if (!entries.removeAll(ours)) {
            return false;
        }
        if (entries.isEmpty()) {
            configs.remove(name);
        } else {
            configs.put(name, String.join(",", entries));
        }
        return true;
    }

    /** A throttled-replica list's entries, spaces dropped, in their order. */
    private static Set<String> entries(String value) {
        Set<String> entries = new LinkedHashSet<>();
        if (!value.isEmpty() && !value.equals("*")) {
            Arrays.stream(value.split(",")).map(entry -> entry.replace(" ", "")).filter(e -> !e.isEmpty())
                    .forEach(entries::add);
        }
        return entries;
    }
}
