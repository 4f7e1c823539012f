package io.tributary.broker.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a classic group: who it is, the protocols it supports, its assignment, and the
 * join or sync request it is waiting on. Guarded by its group's lock.
 */
final class GroupMember {

    /** A protocol (assignor) a member supports, with its subscription metadata. */
    record Protocol(String name, byte[] metadata) {
    }

    final String memberId;
    String groupInstanceId;
    final String clientId;
    final String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];
    CompletableFuture<JoinGroupResponseData> pendingJoin;
    CompletableFuture<SyncGroupResponseData> pendingSync;
    ScheduledFuture<?> sessionExpiry;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
            int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = protocols;
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    byte[] metadata(String protocol) {
        return protocols.stream().filter(p -> p.name().equals(protocol)).map(Protocol::metadata).findFirst()
                .orElse(new byte[0]);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !java.util.Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    void cancelSessionExpiry() {
        if (sessionExpiry != null) {
            sessionExpiry.cancel(false);
            sessionExpiry = null;
        }
    }
}
