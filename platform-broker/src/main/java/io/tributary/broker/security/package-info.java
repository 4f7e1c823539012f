/**
 * Who connects and how, in Apache Kafka's model: listeners with a security protocol each
 * ({@link io.tributary.broker.security.Listeners}), the SASL mechanisms a listener offers
 * (kafka-clients' own SCRAM and PLAIN servers, {@link io.tributary.broker.security.SaslMechanisms}) and
 * password checks against the salted SCRAM credentials the cluster stores
 * ({@link io.tributary.broker.security.ScramPasswordCheck}). The network layer runs the exchanges;
 * {@code security.acl} decides what an authenticated principal may do, {@code security.scram} keeps the
 * credentials in step with the metadata.
 */
package io.tributary.broker.security;
