/**
 * The metadata quorum on Apache Ratis: the Raft server and client of this broker, and the Ratis
 * state machine that applies committed commands to {@link io.tributary.broker.cluster.ClusterState}
 * and snapshots it.
 */
package io.tributary.broker.cluster.raft;
