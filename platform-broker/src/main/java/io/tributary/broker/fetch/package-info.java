/**
 * Fetch sessions (KIP-227): what a consumer fetches is remembered between its requests, so that a
 * steady-state fetch names only the partitions whose position changed and is answered with only the
 * partitions that have something new. Kafka's {@code FetchSession} and {@code FetchSessionCache}.
 */
package io.tributary.broker.fetch;
