package io.tributary.client.share;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The group configs a service wants for one of its share groups, as Kafka names them ({@code share.auto.offset.reset},
 * {@code share.record.lock.duration.ms}, ...). Declare one as a bean, or under {@code tributary.share-groups.<group>}.
 *
 * @param groupId the share group
 * @param configs group configs to set, by Kafka's name
 */
public record ShareGroupDeclaration(String groupId, Map<String, String> configs) {

    /** Kafka's group config for where a share group with no state yet starts: latest (Kafka's default), earliest, by_duration:… */
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

    /** Kafka's group config for how long a delivered record stays locked to its consumer before it is released. */
    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";

    public ShareGroupDeclaration {
        Objects.requireNonNull(groupId, "groupId");
        configs = Map.copyOf(configs);
    }

    /** A share group with no configs of its own yet: the cluster's defaults. */
    public static ShareGroupDeclaration named(String groupId) {
        return new ShareGroupDeclaration(groupId, Map.of());
    }

    /** Where the group starts when it has no state yet: {@code earliest}, {@code latest} or {@code by_duration:<ISO-8601>}. */
    public ShareGroupDeclaration withAutoOffsetReset(String autoOffsetReset) {
        return with(AUTO_OFFSET_RESET, autoOffsetReset);
    }

    public ShareGroupDeclaration withRecordLockDuration(Duration lockDuration) {
        return with(RECORD_LOCK_DURATION_MS, Long.toString(lockDuration.toMillis()));
    }

    /** Any other group config, by Kafka's name. */
    public ShareGroupDeclaration with(String config, String value) {
        Map<String, String> configs = new LinkedHashMap<>(this.configs);
        configs.put(config, value);
        return new ShareGroupDeclaration(groupId, configs);
    }
}
