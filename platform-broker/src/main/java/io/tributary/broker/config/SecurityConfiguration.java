package io.tributary.broker.config;

import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.security.acl.AclAuthorizer;
import io.tributary.broker.security.scram.BootstrapUsers;
import io.tributary.broker.security.scram.BootstrapUsers.BootstrapUser;
import io.tributary.broker.security.scram.ScramCredentialSync;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may do what: the ACL {@link Authorizer}, only when {@code tributary.broker.security.authorizer.enabled}
 * (without one every request is allowed, and the ACL APIs answer SECURITY_DISABLED), and the SCRAM
 * {@link CredentialCache} that SASL/SCRAM authentication looks users up in, filled with the
 * bootstrap users on start.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    @ConditionalOnProperty(name = "tributary.broker.security.authorizer.enabled", havingValue = "true")
    Authorizer authorizer(BrokerProperties properties, ClusterMetadata metadata) {
        BrokerProperties.Security security = properties.getSecurity();
        // Kafka's super.users separates principals with semicolons; a Spring list with commas works too.
        java.util.List<String> superUsers = security.getSuperUsers().stream()
                .flatMap(entry -> java.util.Arrays.stream(entry.split(";"))).map(String::trim).filter(u -> !u.isEmpty())
                .toList();
        return new AclAuthorizer(metadata, superUsers, security.isAllowEveryoneIfNoAclFound());
    }

    /** Follows the metadata from before the bootstrap users are created, so it holds them at once. */
    @Bean
    CredentialCache credentialCache(BrokerProperties properties, ClusterMetadata metadata) {
        CredentialCache cache = ScramCredentialSync.cacheFollowing(metadata);
        BootstrapUsers.create(metadata, properties.getSecurity().getBootstrapUsers().stream()
                .map(user -> new BootstrapUser(user.getName(), user.getPassword(), user.getMechanism(), user.getIterations()))
                .toList());
        return cache;
    }
}
