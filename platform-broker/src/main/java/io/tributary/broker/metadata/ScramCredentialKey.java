package io.tributary.broker.metadata;

import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** Whose SCRAM credential, for which mechanism: a user holds at most one per mechanism. */
public record ScramCredentialKey(String user, ScramMechanism mechanism) {
}
