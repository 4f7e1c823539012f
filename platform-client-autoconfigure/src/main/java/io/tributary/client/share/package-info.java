/**
 * Queues on Kafka share groups (KIP-932): the share-group configs a service declares
 * ({@code tributary.share-groups.<group>.*}, or {@link io.tributary.client.share.ShareGroupDeclaration} beans), set on the
 * cluster at start-up before any share consumer joins. The share consumers themselves are Spring for Apache Kafka's
 * ({@code ShareKafkaListenerContainerFactory}), built by the auto-configuration.
 */
package io.tributary.client.share;
