/**
 * Authorization: {@link io.tributary.broker.security.acl.AclAuthorizer}, Kafka's {@code Authorizer}
 * over the ACLs held in the cluster metadata, with the semantics of Kafka's StandardAuthorizer and
 * an audit log. It exists only when {@code tributary.broker.security.authorizer.enabled} is set;
 * without it every request is allowed.
 */
package io.tributary.broker.security.acl;
