/**
 * The share coordinator (Kafka's {@code share-coordinator} module, KIP-932): the durable state of each
 * share-partition — its start offset and the delivery state and count of its in-flight records — in the
 * compacted {@code __share_group_state} topic, on the coordinator runtime: {@code ShareCoordinator} (the
 * operations, one key's partition chosen by the hash of {@code groupId:topicId:partition}),
 * {@code ShareCoordinatorShard} (one partition's states, rebuilt by replay, leader- and state-epoch fencing),
 * {@code ShareStateRecords} (the records' format), and {@code ShareCoordinatorPersister}, the share-partition
 * leaders' way to it (locally, or over the inter-broker listener to the broker that leads the key's partition).
 */
package io.tributary.broker.share.coordinator;
