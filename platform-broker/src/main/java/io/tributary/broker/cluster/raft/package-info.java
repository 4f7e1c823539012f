/**
 * The metadata quorum on Apache Ratis: the Raft server and clients of this broker, as a voter or as a
 * non-voting listener (a broker only); the Ratis state machine that applies committed commands to
 * {@link io.tributary.broker.cluster.ClusterState} and snapshots it; keeping this broker's Raft role in
 * step with the quorum's configuration; and DescribeQuorum, AddRaftVoter and RemoveRaftVoter on it.
 */
package io.tributary.broker.cluster.raft;
