/**
 * The Kafka protocol's APIs: one {@link io.tributary.broker.api.ApiHandler} per API key, the
 * versions each serves, and the mapping of the broker's failures to Kafka error codes. Requests
 * arrive here parsed by the network layer; handlers call down into partitions, groups and metadata.
 */
package io.tributary.broker.api;
