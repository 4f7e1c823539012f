/**
 * The Kafka protocol's APIs: one {@link io.tributary.broker.api.ApiHandler} per API key, the
 * versions each serves, and the mapping of the broker's failures to Kafka error codes. Requests
 * arrive here parsed by the network layer; handlers call down into partitions, groups and metadata.
 * Before acting, each handler asks {@link io.tributary.broker.api.RequestAuthorization} what Apache
 * Kafka's {@code KafkaApis} asks its authorizer, and refuses with Kafka's error codes.
 */
package io.tributary.broker.api;
