/**
 * SCRAM users: the credential cache the SASL/SCRAM authenticator looks users up in, kept equal to
 * the salted credentials of the cluster metadata, and the bootstrap users a broker creates at start.
 */
package io.tributary.broker.security.scram;
