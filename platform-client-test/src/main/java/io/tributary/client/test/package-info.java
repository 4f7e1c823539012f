/**
 * Test support for services on Tributary: a real broker started in the test's JVM
 * ({@link io.tributary.client.test.EmbeddedTributaryBroker}, {@link io.tributary.client.test.EmbeddedTributary},
 * {@link io.tributary.client.test.EmbeddedTributaryExtension}) and a real PostgreSQL from embedded binaries
 * ({@link io.tributary.client.test.EmbeddedPostgresServer}, {@link io.tributary.client.test.EmbeddedPostgresDatabase}).
 */
package io.tributary.client.test;
