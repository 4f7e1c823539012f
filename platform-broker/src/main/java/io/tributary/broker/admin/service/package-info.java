/**
 * What an operator can see and do over HTTP — topics, records, consumer groups, the cluster at a
 * glance, following a key across topics — as one set of services that both the admin REST API
 * ({@code admin.rest}) and the console ({@code admin.console}) call, so the two never diverge.
 * The services call the same components the Kafka API handlers do ({@code TopicManager},
 * {@code GroupCoordinator}, {@code PartitionManager}); a refused request changes nothing.
 */
package io.tributary.broker.admin.service;
