/**
 * Cluster metadata as a replicated state machine: brokers register and heartbeat, topics and their
 * partition assignments (replicas, ISR, leader, leader epoch) change only by commands committed
 * through a Raft quorum (Apache Ratis, in {@code cluster.raft}) and applied in the same order on
 * every broker. The state and its commands are plain Java so that tests drive them directly.
 */
package io.tributary.broker.cluster;
