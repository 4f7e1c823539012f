/**
 * Operating the broker: Actuator health indicators and info, and Micrometer metrics exported at
 * {@code /actuator/prometheus}.
 *
 * <p>Metric names (Prometheus form in brackets); tags are only ever {@code topic}, {@code partition},
 * {@code group}, {@code api} and {@code error}, so that label cardinality stays bounded by the
 * topics, partitions and groups that exist:
 * <ul>
 * <li>{@code tributary.topic.bytes.in} [{@code tributary_topic_bytes_in_total}], {@code tributary.topic.records.in},
 * {@code tributary.topic.bytes.out}, {@code tributary.topic.records.out}: counters per topic, from Produce appends
 * and Fetch responses (records out are counted from the batch headers the read already visits);
 * <li>{@code tributary.requests} [{@code tributary_requests_seconds}]: timer per API with a histogram;
 * {@code tributary.request.errors}: counter per API and error code (errors other than NONE in responses);
 * <li>{@code tributary.connections}, {@code tributary.partitions}, {@code tributary.partitions.leader},
 * {@code tributary.partitions.offline}, {@code tributary.partitions.under.replicated} (0 on one node),
 * {@code tributary.fetch.delayed}, {@code tributary.produce.delayed} (0 on one node): gauges;
 * <li>{@code tributary.isr.shrinks}, {@code tributary.isr.expands}: counters, 0 on one node, there for dashboards;
 * <li>{@code tributary.log.flush} [{@code tributary_log_flush_seconds}]: timer of the fsyncs of partition logs;
 * <li>{@code tributary.log.size} [{@code tributary_log_size_bytes}], {@code tributary.log.end.offset}: gauges per
 * topic and partition; {@code tributary.consumer.lag}: gauge per group, topic and partition, from
 * {@link io.tributary.broker.group.ConsumerLag}.
 * </ul>
 * The per-partition and per-group gauges are registered for the partitions and groups that exist at
 * each refresh ({@code tributary.broker.metrics.refresh-interval}): new ones appear and deleted ones
 * disappear then. Log size and end offset are read live at each scrape; consumer lag is the value
 * computed at the last refresh.
 */
package io.tributary.broker.admin;
