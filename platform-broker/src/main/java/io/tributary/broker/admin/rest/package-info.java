/**
 * The admin REST API under {@code /api} on the broker's HTTP port: topics and their configs and
 * partitions, consumer groups with their lag and offset resets, and browsing and producing records.
 *
 * <p>Controllers call the same services the Kafka API handlers do ({@code TopicManager},
 * {@code GroupCoordinator}, {@code PartitionManager}), so a change made here is the change a Kafka
 * client would make. Errors are RFC 9457 problem details; a refused request changes nothing.
 */
package io.tributary.broker.admin.rest;
