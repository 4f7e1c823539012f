/**
 * The group coordinator: consumer groups with Kafka's classic rebalance protocol (the group state
 * machine, generations, session and rebalance timeouts, static membership) and the offsets they
 * commit. Every change is a record written to the compacted {@code __consumer_offsets} topic first
 * and applied to the in-memory state when it is replayed, so that the same replay rebuilds the
 * state when the broker starts.
 */
package io.tributary.broker.group;
