/**
 * The log engine: each partition is an append-only, segmented log of Kafka record batches on disk.
 *
 * <p>Plain Java on purpose: nothing here knows about Spring, Netty or the Kafka protocol's requests,
 * so a unit test can drive it directly. {@link io.tributary.broker.log.LogManager} owns a data
 * directory and its {@link io.tributary.broker.log.PartitionLog}s; a partition log keeps the offsets,
 * leader epochs, appends and reads over its {@link io.tributary.broker.log.LocalLog}: the
 * {@link io.tributary.broker.log.LogSegments}, a sequence of {@link io.tributary.broker.log.LogSegment}s,
 * each a {@code .log} file with a sparse {@link io.tributary.broker.log.OffsetIndex} and
 * {@link io.tributary.broker.log.TimeIndex}, and the end readers may see; the
 * {@link io.tributary.broker.log.LogLoader} opens and recovers them, as Kafka's storage module splits it.
 * Logs whose {@code cleanup.policy} holds compact are compacted in the background by the
 * {@link io.tributary.broker.log.LogCleaner}, which keeps the latest record of every key.
 */
package io.tributary.broker.log;
