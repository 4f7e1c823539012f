/**
 * The HTTP side's authentication: Spring Security with HTTP Basic against the cluster's SCRAM users
 * when the broker's security is on, everything open when it is off.
 */
package io.tributary.broker.admin.security;
