package io.tributary.client.share;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Sets the declared share groups' configs on the cluster at start-up (IncrementalAlterConfigs on the GROUP resource,
 * as {@code kafka-configs --entity-type groups --alter} does). Setting is idempotent and a group need not exist yet,
 * so every instance of the service applies the same values; configs not declared are left as they are.
 * A refusal (unknown config, bad value, no ALTER_CONFIGS on the group) stops start-up with the cluster's reason.
 */
public class ShareGroupConfigurer {

    private static final Log log = LogFactory.getLog(ShareGroupConfigurer.class);

    private final Admin admin;
    private final Duration timeout;

    public ShareGroupConfigurer(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public void configure(Collection<ShareGroupDeclaration> declarations) {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        for (ShareGroupDeclaration declaration : declarations) {
            if (!declaration.configs().isEmpty()) {
                changes.merge(new ConfigResource(ConfigResource.Type.GROUP, declaration.groupId()), operations(declaration),
                        (a, b) -> { throw new IllegalStateException("Share group '" + declaration.groupId() + "' is declared twice"); });
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        var results = admin.incrementalAlterConfigs(changes).values();
        changes.forEach((group, operations) -> {
            try {
                results.get(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Share group " + group.name() + " configured: " + operations.stream()
                        .map(op -> op.configEntry().name() + "=" + op.configEntry().value()).toList());
            } catch (ExecutionException e) {
                throw new IllegalStateException("Cannot configure share group '" + group.name() + "': "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("The cluster did not configure share group '" + group.name() + "' within "
                        + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while configuring share group '" + group.name() + "'", e);
            }
        });
    }

    private static List<AlterConfigOp> operations(ShareGroupDeclaration declaration) {
        return declaration.configs().entrySet().stream()
                .map(config -> new AlterConfigOp(new ConfigEntry(config.getKey(), config.getValue()), AlterConfigOp.OpType.SET))
                .toList();
    }
}
