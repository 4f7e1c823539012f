/**
 * A short in-memory history of the broker's own figures for the console's charts: traffic rates
 * (bytes and records in and out, in total and per topic), append rates per partition and each
 * group's lag, sampled every few seconds into bounded rings. Nothing here is persisted; a restart
 * starts an empty history. Prometheus scraping {@code /actuator/prometheus} remains the place for
 * long-term metrics.
 */
package io.tributary.broker.admin.history;
