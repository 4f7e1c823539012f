/**
 * Cluster metadata: the cluster's identity, the topics (names, ids, partition counts, configs), the
 * ACLs and the users' SCRAM credentials ({@link io.tributary.broker.metadata.SecurityImage}), the
 * dynamic broker configs, with their durable stores; and a broker's effective configs under Kafka's
 * names ({@link io.tributary.broker.metadata.BrokerConfigs}); the group configs and a group's settings with
 * the defaults applied ({@link io.tributary.broker.metadata.GroupConfigs}). On a single node the store is a set of small files in the data
 * directory; the cluster issue replaces it with a Raft-replicated state machine.
 */
package io.tributary.broker.metadata;
