/**
 * Idempotent consumers, for services with a PostgreSQL DataSource:
 * {@link io.tributary.client.idempotent.IdempotentConsumer} applies an event's side effects once per consumer
 * however often the event is delivered. The schema is the Flyway migration
 * {@code classpath:db/tributary/R__tributary_processed_events.sql}.
 */
package io.tributary.client.idempotent;
