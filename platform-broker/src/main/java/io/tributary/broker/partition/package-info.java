/**
 * Partitions as the broker serves them: each wraps a partition log with its leader epoch, high
 * watermark, idempotent-producer state and the fetches waiting for new data. The
 * {@link io.tributary.broker.partition.PartitionManager} owns them all and keeps them in step with
 * the topics of the cluster metadata.
 */
package io.tributary.broker.partition;
