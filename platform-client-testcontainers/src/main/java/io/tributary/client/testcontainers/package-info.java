/**
 * Tributary and PostgreSQL in Docker for tests, through Testcontainers: {@link TributaryContainer} with
 * {@code @ServiceConnection} support, and the container behind {@code @EmbeddedPostgresDatabase} where Docker answers.
 */
package io.tributary.client.testcontainers;
