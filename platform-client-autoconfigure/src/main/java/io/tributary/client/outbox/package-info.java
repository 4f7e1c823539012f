/**
 * The transactional outbox, for services with a PostgreSQL DataSource: {@link io.tributary.client.outbox.Outbox}
 * stores events in the business transaction, {@link io.tributary.client.outbox.OutboxRelay} publishes them
 * afterwards, at least once and in order per key, with any number of relays at once. The schema is the Flyway
 * migration {@code classpath:db/tributary/R__tributary_outbox.sql}.
 */
package io.tributary.client.outbox;
