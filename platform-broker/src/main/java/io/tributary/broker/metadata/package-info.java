/**
 * Cluster metadata: the cluster's identity, and the topics (names, ids, partition counts, configs)
 * with their durable store. On a single node the store is a set of small files in the data
 * directory; the cluster issue replaces it with a Raft-replicated state machine.
 */
package io.tributary.broker.metadata;
