/**
 * The coordinator runtime, in the style of Kafka's {@code coordinator-common}: a coordinator's state
 * is kept in a compacted topic, one {@link io.tributary.broker.coordinator.CoordinatorShard} per
 * partition this broker leads. An operation produces records and a response
 * ({@link io.tributary.broker.coordinator.CoordinatorResult}); the
 * {@link io.tributary.broker.coordinator.CoordinatorRuntime} appends the records as the partition's
 * leader and, once the in-sync replicas hold them, replays them into the shard and answers. Loading
 * a partition is the same replay, of its whole log. Knows nothing of groups: the group coordinator
 * runs on it, and the transaction coordinator is to.
 */
package io.tributary.broker.coordinator;
