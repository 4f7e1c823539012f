/**
 * The group coordinator: consumer groups with Kafka's classic rebalance protocol (the group state
 * machine, generations, session and rebalance timeouts, static membership) and the offsets they
 * commit, kept in the compacted {@code __consumer_offsets} topic on the
 * {@link io.tributary.broker.coordinator coordinator runtime}. {@code GroupCoordinator} is what the API
 * handlers and admin services call; it routes each group to the {@code GroupCoordinatorShard} of its
 * partition, whose {@code GroupMetadataManager} holds the groups and routes the classic protocol's
 * requests ({@code ClassicGroupManager} with the group's {@code ClassicRebalance}: join and sync phases,
 * sessions) and whose
 * {@code OffsetMetadataManager} keeps the offsets. Offsets and deletions take effect when their
 * records are replayed, once the in-sync replicas hold them; the rebalance protocol's own state
 * (join phase, waiting requests, timers) is in memory only, and the group metadata it writes after
 * each assignment is replayed when a partition is loaded. KIP-848 consumer groups live beside them
 * ({@code ConsumerGroupManager}; their target assignments, rack-aware, from {@code TargetAssignmentBuilder}); a live group moves between the two protocols ({@code GroupMigration}),
 * its classic-protocol members going on inside a consumer group ({@code ConsumerGroupClassicMembers}).
 * KIP-932 share groups, whose members share partitions (queues), have their membership in the same id
 * space ({@code ShareGroupManager}, {@code ShareGroup}).
 */
package io.tributary.broker.group;
