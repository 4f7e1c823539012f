package io.tributary.broker.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A leader's view of its followers, Kafka's way: where each follower's log ends (the offset it
 * last fetched from), when it last caught up with the leader, and from that the high watermark and
 * the changes to propose to the in-sync replica set.
 *
 * <p>The high watermark is the smallest log end over the <em>maximal</em> ISR — the committed ISR
 * plus the replicas a pending change adds — so that a replica is counted from the moment it is
 * proposed, never after the high watermark passed it. A follower whose log end is unknown (it has not
 * fetched from this leader yet) holds the high watermark where it is.
 *
 * <p>Not thread-safe: the partition calls it under its lock.
 */
final class InSyncReplicas {

    /** A broker epoch not known (Kafka's -1): a fetch without one, or the leader's own. */
    static final long UNKNOWN_BROKER_EPOCH = -1;

    /** What the leader knows of one follower. */
    private static final class Follower {
        long logEndOffset = -1;
        long lastCaughtUpMs;
        long lastFetchLeaderEndOffset = -1;
        long lastFetchMs;
        /**
         * The broker epoch of the incarnation whose fetch said where the log ends: an expansion sends it to
         * the controller, which refuses the follower if it registered again since (KIP-903).
         */
        long brokerEpoch = UNKNOWN_BROKER_EPOCH;
        /**
         * Whether a fetch came since the follower last left the ISR: only such a fetch may bring it back.
         * A follower that stopped fetching keeps the log end of its last fetch, which reaches a high
         * watermark that stalled meanwhile; without this, other followers' fetches would propose it again
         * and again (Kafka considers only the follower that is fetching).
         */
        boolean fetchedSinceLeaving = true;

        Follower(long sinceMs) {
            this.lastCaughtUpMs = sinceMs;
        }
    }

    private final int localId;
    private List<Integer> replicas;
    private final long epochStartOffset;
    private final Map<Integer, Follower> followers = new HashMap<>();
    /** After a refused proposal, none before this time, so that a refusal does not become a flood of commands. */
    static final long REFUSED_BACKOFF_MS = 1_000;

    private List<Integer> isr;
    private List<Integer> pending;
    /**
     * Whether the pending proposal still waits for the quorum's answer. Every metadata delivery reaches
     * every partition, most of them about other partitions: one that leaves this ISR as it was does not
     * answer a proposal in flight, which stays pending — else each delivery let the next fetch propose the
     * same change again, the proposals queued faster than the quorum committed them (every commit being
     * another delivery to every partition), and a returning follower waited minutes behind the backlog.
     */
    private boolean pendingInFlight;
    /**
     * Followers an expansion proposed, by the time until which they count in the high watermark as if
     * in sync: the quorum may commit the expansion — and a partition move elect one of them leader in that
     * very change — before this leader sees the ISR come back, and a metadata delivery for an earlier
     * change can end the proposal's pending state meanwhile. Each stays counted until a delivered ISR holds
     * it, the proposal is refused, or {@link #PROVISIONAL_MS} passed (a proposal whose fate was never learned:
     * for so long the high watermark waits for a follower that had caught up when it was proposed).
     */
    private final Map<Integer, Long> provisional = new HashMap<>();
    /** How long a proposed follower counts without the metadata confirming it. */
    static final long PROVISIONAL_MS = 10_000;
    private long quietUntilMs = Long.MIN_VALUE;

    /**
     * @param epochStartOffset where this leader's epoch starts: a follower short of it may still hold
     *                         another leader's divergent records, so it cannot join the ISR
     * @param nowMs            a follower gets a whole lag time from the moment this leader took over
     */
    long epochStartOffset() {
        return epochStartOffset;
    }

    InSyncReplicas(int localId, List<Integer> replicas, List<Integer> isr, long epochStartOffset, long nowMs) {
        this.localId = localId;
        this.replicas = List.copyOf(replicas);
        this.isr = List.copyOf(isr);
        this.epochStartOffset = epochStartOffset;
        for (int replica : replicas) {
            if (replica != localId) {
                followers.put(replica, new Follower(nowMs));
            }
        }
    }

    List<Integer> isr() {
        return isr;
    }

    boolean isReplica(int replicaId) {
        return replicas.contains(replicaId);
    }

    /**
     * The metadata delivered this partition's state; a proposal it answers — the ISR changed, or the
     * proposal is no longer in flight — is no longer pending.
     * The replicas may have changed too within this epoch — a partition move adds the replicas it moves
     * to — and a new follower gets a whole lag time from now, outside the ISR until it catches up.
     */
    void committed(List<Integer> newReplicas, List<Integer> newIsr, long nowMs) {
        boolean isrChanged = !newIsr.equals(isr);
        for (int replica : isr) {
            Follower follower = followers.get(replica);
            if (follower != null && !newIsr.contains(replica)) {
                follower.fetchedSinceLeaving = false;
            }
        }
        isr = List.copyOf(newIsr);
        if (isrChanged || !pendingInFlight) {
            pending = null;
            pendingInFlight = false;
        }
        provisional.keySet().removeIf(replica -> newIsr.contains(replica) || !newReplicas.contains(replica));
        if (!newReplicas.equals(replicas)) {
            replicas = List.copyOf(newReplicas);
            followers.keySet().retainAll(replicas);
            for (int replica : replicas) {
                if (replica != localId) {
                    followers.computeIfAbsent(replica, r -> new Follower(nowMs));
                }
            }
        }
    }

    /**
     * The proposal in flight is over. One that was not committed (refused, or not known) is dropped and
     * the next one waits {@link #REFUSED_BACKOFF_MS}. One that was committed stays pending, and counted in the
     * high watermark, until {@link #committed} brings the new ISR: the quorum answers before the metadata
     * reaches the partition, and a replica the proposal added must hold every record acknowledged
     * meanwhile — it may be elected leader in that very change (a partition move that completes).
     */
    void proposalDone(IsrChannel.Result result, long nowMs) {
        proposalDone(result, pending == null ? List.of() : pending, nowMs);
    }

    /**
     * As {@link #proposalDone(IsrChannel.Result, long)} for the proposal of {@code proposed}, which a
     * metadata delivery may have ended already (then another one may be pending now, and stays).
     */
    void proposalDone(IsrChannel.Result result, List<Integer> proposed, long nowMs) {
        if (pending != null && pending.equals(proposed)) {
            pendingInFlight = false;
        }
        if (result == IsrChannel.Result.COMMITTED) {
            return;
        }
        if (result == IsrChannel.Result.REFUSED) {
            // It will not take effect: the followers it added are not in sync after all.
            proposed.stream().filter(replica -> !isr.contains(replica)).forEach(provisional::remove);
        }
        if (pending != null && pending.equals(proposed)) {
            pending = null;
            quietUntilMs = nowMs + REFUSED_BACKOFF_MS;
        }
    }


    boolean hasPendingProposal() {
        return pending != null;
    }

    /**
     * A follower fetched from {@code fetchOffset}: its log ends there. It counts as caught up now if
     * it asked for the leader's end, or as of its previous fetch if it reached the end the leader had
     * then (Kafka's rule, which a follower fetching steadily behind a busy leader still meets).
     */
    void followerFetched(int replicaId, long fetchOffset, long leaderEndOffset, long nowMs) {
        followerFetched(replicaId, fetchOffset, UNKNOWN_BROKER_EPOCH, leaderEndOffset, nowMs);
    }

    /**
     * As {@link #followerFetched(int, long, long, long)}, by the follower's incarnation of broker epoch
     * {@code brokerEpoch} (Kafka's FetchRequest ReplicaState.ReplicaEpoch, {@link #UNKNOWN_BROKER_EPOCH} when
     * the fetch did not send one): the log end and the epoch recorded together describe the same log.
     */
    void followerFetched(int replicaId, long fetchOffset, long brokerEpoch, long leaderEndOffset, long nowMs) {
        Follower follower = followers.get(replicaId);
        if (follower == null) {
            return;
        }
        if (fetchOffset >= leaderEndOffset) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, nowMs);
        } else if (follower.lastFetchLeaderEndOffset >= 0 && fetchOffset >= follower.lastFetchLeaderEndOffset) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        }
        follower.logEndOffset = fetchOffset;
        follower.fetchedSinceLeaving = true;
        follower.lastFetchLeaderEndOffset = leaderEndOffset;
        follower.lastFetchMs = nowMs;
        follower.brokerEpoch = brokerEpoch;
    }

    /**
     * The broker epoch each of {@code members} fetched with last, in order, for a proposal (Kafka's
     * NewIsrWithEpochs): unknown for this leader — its leader epoch vouches for it — and for a follower
     * that has not fetched from this leader or sent none.
     */
    List<Long> brokerEpochs(List<Integer> members) {
        List<Long> epochs = new ArrayList<>(members.size());
        for (int member : members) {
            Follower follower = followers.get(member);
            epochs.add(follower == null ? UNKNOWN_BROKER_EPOCH : follower.brokerEpoch);
        }
        return epochs;
    }

    /**
     * The in-sync followers whose log, as of their last fetch, reaches past {@code fetchOffset}: a
     * consumer at that offset could read there. The log start is not checked: a follower's is at most
     * its leader's.
     */
    List<Partition.FollowerView> followersHolding(long fetchOffset, long nowMs) {
        List<Partition.FollowerView> holding = new ArrayList<>();
        for (int replica : isr) {
            Follower follower = followers.get(replica);
            if (follower != null && follower.logEndOffset >= fetchOffset) {
                holding.add(new Partition.FollowerView(replica, follower.logEndOffset, nowMs - follower.lastCaughtUpMs,
                        follower.brokerEpoch));
            }
        }
        return holding;
    }

    /** The high watermark the ISR allows: at most {@code leaderEndOffset}. */
    long highWatermark(long leaderEndOffset) {
        return highWatermark(leaderEndOffset, Long.MIN_VALUE);
    }

    /** As {@link #highWatermark(long)}, with the provisional followers whose time ran out by {@code nowMs} forgotten. */
    long highWatermark(long leaderEndOffset, long nowMs) {
        provisional.values().removeIf(until -> until <= nowMs);
        long hw = leaderEndOffset;
        for (int replica : maximalIsr()) {
            if (replica != localId) {
                Follower follower = followers.get(replica);
                hw = Math.min(hw, follower == null ? -1 : follower.logEndOffset);
            }
        }
        return hw;
    }

    /**
     * The ISR with the followers added that reached the high watermark in this leader's epoch, or
     * empty when none did, a proposal is still pending or one was just refused. The result becomes the pending proposal.
     */
    Optional<List<Integer>> proposeExpansion(long highWatermark, long nowMs) {
        return proposeExpansion(highWatermark, nowMs, (replica, brokerEpoch) -> true);
    }

    /**
     * As {@link #proposeExpansion(long, long)}, with only the followers {@code eligible} accepts for the
     * broker epoch of their latest fetch ({@link IsrChannel#mayJoinIsr}).
     */
    Optional<List<Integer>> proposeExpansion(long highWatermark, long nowMs, BiPredicate<Integer, Long> eligible) {
        if (pending != null || nowMs < quietUntilMs) {
            return Optional.empty();
        }
        Set<Integer> grown = new LinkedHashSet<>(isr);
        for (int replica : replicas) {
            Follower follower = followers.get(replica);
            if (follower != null && !isr.contains(replica) && follower.fetchedSinceLeaving
                    && follower.logEndOffset >= highWatermark
                    && follower.logEndOffset >= epochStartOffset && eligible.test(replica, follower.brokerEpoch)) {
                grown.add(replica);
            }
        }
        Optional<List<Integer>> proposal = propose(grown);
        proposal.ifPresent(members -> members.stream().filter(replica -> !isr.contains(replica))
                .forEach(replica -> provisional.put(replica, nowMs + PROVISIONAL_MS)));
        return proposal;
    }

    /**
     * The ISR without the followers that have not caught up within {@code lagTimeMaxMs}, or empty
     * when all did, a proposal is still pending or one was just refused. The result becomes the pending proposal.
     */
    Optional<List<Integer>> proposeShrink(long nowMs, long lagTimeMaxMs) {
        if (pending != null || nowMs < quietUntilMs) {
            return Optional.empty();
        }
        Set<Integer> kept = new LinkedHashSet<>();
        for (int replica : isr) {
            Follower follower = followers.get(replica);
            if (follower == null || nowMs - follower.lastCaughtUpMs <= lagTimeMaxMs) {
                kept.add(replica);
            }
        }
        return propose(kept);
    }

    private Optional<List<Integer>> propose(Set<Integer> members) {
        if (members.size() == isr.size() && members.containsAll(isr)) {
            return Optional.empty();
        }
        pending = new ArrayList<>(members);
        pendingInFlight = true;
        return Optional.of(List.copyOf(pending));
    }

    private Set<Integer> maximalIsr() {
        Set<Integer> maximal = new LinkedHashSet<>(isr);
        if (pending != null) {
            maximal.addAll(pending);
        }
        maximal.addAll(provisional.keySet());
        return maximal;
    }
}
