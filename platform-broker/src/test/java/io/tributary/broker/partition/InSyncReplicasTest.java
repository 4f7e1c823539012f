package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader's ISR and high watermark math, with a hand-driven clock. */
class InSyncReplicasTest {

    private static final long LAG_MS = 10_000;

    @Test
    void theHighWatermarkIsTheSmallestLogEndOfTheIsrAndWaitsForFollowersNotHeardFromYet() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1, 2), 0, 0);
        assertThat(replicas.highWatermark(10)).as("followers have not fetched").isEqualTo(-1);

        replicas.followerFetched(1, 10, 10, 1);
        replicas.followerFetched(2, 7, 10, 1);
        assertThat(replicas.highWatermark(10)).isEqualTo(7);
        assertThat(replicas.highWatermark(5)).as("never past the leader's own end").isEqualTo(5);
    }

    @Test
    void aSingleReplicaIsItsOwnIsr() {
        InSyncReplicas replicas = new InSyncReplicas(3, List.of(3), List.of(3), 0, 0);
        assertThat(replicas.highWatermark(42)).isEqualTo(42);
        assertThat(replicas.proposeShrink(Long.MAX_VALUE / 2, LAG_MS)).isEmpty();
        assertThat(replicas.proposeExpansion(42, 0)).isEmpty();
    }

    @Test
    void aFollowerThatStopsCatchingUpLeavesAndOneThatReachesTheHighWatermarkJoins() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1, 2), 0, 0);
        replicas.followerFetched(1, 100, 100, 5_000);
        replicas.followerFetched(2, 50, 100, 5_000);
        assertThat(replicas.proposeShrink(LAG_MS, LAG_MS)).as("both within the lag time").isEmpty();

        assertThat(replicas.proposeShrink(LAG_MS + 1, LAG_MS)).contains(List.of(0, 1));
        assertThat(replicas.proposeShrink(LAG_MS + 2, LAG_MS)).as("one proposal at a time").isEmpty();
        assertThat(replicas.highWatermark(100)).as("the maximal ISR still counts the leaving replica").isEqualTo(50);
        replicas.committed(List.of(0, 1, 2), List.of(0, 1), LAG_MS + 3);
        assertThat(replicas.highWatermark(100)).isEqualTo(100);

        replicas.followerFetched(2, 90, 120, 12_000);
        assertThat(replicas.proposeExpansion(100, 0)).as("short of the high watermark").isEmpty();
        replicas.followerFetched(2, 100, 120, 12_500);
        assertThat(replicas.proposeExpansion(100, 0)).contains(List.of(0, 1, 2));
        assertThat(replicas.highWatermark(120)).as("counted from the proposal on").isEqualTo(100);
    }

    @Test
    void aFollowerFetchingSteadilyBehindABusyLeaderStaysInSync() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1), List.of(0, 1), 0, 0);
        long leaderEnd = 0;
        for (long now = 1_000; now <= 60_000; now += 1_000) {
            long fetchOffset = leaderEnd; // reached what the leader had at its previous fetch
            leaderEnd += 100;
            replicas.followerFetched(1, fetchOffset, leaderEnd, now);
        }
        assertThat(replicas.proposeShrink(60_500, LAG_MS)).isEmpty();
    }

    @Test
    void aFollowerShortOfTheLeadersEpochStartCannotJoin() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1), List.of(0), 80, 0);
        replicas.followerFetched(1, 70, 100, 1);
        assertThat(replicas.proposeExpansion(60, 0)).isEmpty();
        replicas.followerFetched(1, 80, 100, 2);
        assertThat(replicas.proposeExpansion(60, 0)).contains(List.of(0, 1));
    }

    @Test
    void aRefusedProposalIsNotRepeatedAtOnceButACommittedOneNeedsNoPause() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0), 0, 0);
        replicas.followerFetched(1, 0, 0, 1);
        assertThat(replicas.proposeExpansion(0, 1)).contains(List.of(0, 1));
        replicas.proposalDone(IsrChannel.Result.REFUSED, 2);
        assertThat(replicas.proposeExpansion(0, 3)).isEmpty();
        assertThat(replicas.proposeExpansion(0, 2 + InSyncReplicas.REFUSED_BACKOFF_MS)).contains(List.of(0, 1));

        replicas.committed(List.of(0, 1, 2), List.of(0, 1), 2_000);
        replicas.proposalDone(IsrChannel.Result.COMMITTED, 2_000);
        replicas.followerFetched(2, 0, 0, 2_001);
        assertThat(replicas.proposeExpansion(0, 2_001)).contains(List.of(0, 1, 2));
    }

    /**
     * Found by the fault injection suite (seed 1, a follower's link down then healed): every metadata delivery
     * reached every partition and ended its pending proposal, so each follower fetch proposed the same change
     * again; a leader queued some 400 proposals a second and the returning follower waited minutes for its turn.
     */
    @Test
    void aDeliveryThatLeavesTheIsrAsItWasDoesNotLetAProposalInFlightBeMadeAgain() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 2), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 2, 1));
        for (long now = 2; now < 50; now++) {
            // Another partition's change: this one's state is delivered again, as it was.
            replicas.committed(List.of(0, 1, 2), List.of(0, 2), now);
            replicas.followerFetched(1, 100, 100, now);
            assertThat(replicas.proposeExpansion(100, now)).as("the same change, still in flight").isEmpty();
            assertThat(replicas.proposeShrink(now, LAG_MS)).isEmpty();
        }
        replicas.proposalDone(IsrChannel.Result.COMMITTED, 50);
        replicas.committed(List.of(0, 1, 2), List.of(0, 2, 1), 51);

        assertThat(replicas.isr()).containsExactly(0, 2, 1);
        assertThat(replicas.hasPendingProposal()).isFalse();
    }

    @Test
    void aProposalAnsweredButNotYetDeliveredEndsAtTheNextDeliveryAsBefore() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 2), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 2, 1));
        replicas.proposalDone(IsrChannel.Result.COMMITTED, 2);
        replicas.committed(List.of(0, 1, 2), List.of(0, 2), 3); // an image from before the commit

        assertThat(replicas.hasPendingProposal()).as("no longer in flight: not pending for good").isFalse();
    }

    @Test
    void aCommittedExpansionHoldsTheHighWatermarkUntilTheMetadataBringsIt() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 1, 2));
        replicas.followerFetched(1, 120, 120, 2);

        // The quorum answers before the metadata reaches the partition, which may never see it as a leader
        // (a completed move that elects replica 2): until then, nothing past replica 2's log is acknowledged.
        replicas.proposalDone(IsrChannel.Result.COMMITTED, 3);
        assertThat(replicas.highWatermark(120)).isEqualTo(100);
        replicas.committed(List.of(0, 1, 2), List.of(0, 1, 2), 4);
        assertThat(replicas.highWatermark(120)).isEqualTo(100);
        replicas.followerFetched(2, 120, 120, 5);
        assertThat(replicas.highWatermark(120)).isEqualTo(120);
    }

    @Test
    void aReplicaAddedByAMoveWithinTheEpochCatchesUpOutsideTheIsrAndIsThenProposed() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1_000);
        replicas.committed(List.of(3, 0, 1), List.of(0, 1), 1_000);
        assertThat(replicas.isReplica(3)).isTrue();
        assertThat(replicas.highWatermark(100)).as("not in the ISR: it does not hold the high watermark").isEqualTo(100);
        assertThat(replicas.proposeShrink(1_000 + LAG_MS + 1, LAG_MS)).as("only the lagging in-sync follower leaves").contains(List.of(0));
        replicas.proposalDone(IsrChannel.Result.REFUSED, 1_000 + LAG_MS + 1);

        replicas.followerFetched(1, 100, 100, 20_000);
        replicas.committed(List.of(3, 0, 1), List.of(0, 1), 20_000);
        replicas.followerFetched(3, 40, 100, 20_001);
        assertThat(replicas.proposeExpansion(100, 20_001)).as("still catching up").isEmpty();
        replicas.followerFetched(3, 100, 100, 20_002);
        assertThat(replicas.proposeExpansion(100, 20_002)).contains(List.of(0, 1, 3));

        replicas.committed(List.of(3, 0), List.of(0, 3), 20_003);
        assertThat(replicas.isReplica(1)).as("a replica the move removed").isFalse();
    }

    @Test
    void aProposedFollowerHoldsTheHighWatermarkEvenWhenAnEarlierChangesDeliveryEndsTheProposal() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 1, 2));
        replicas.proposalDone(IsrChannel.Result.COMMITTED, 2);
        // The metadata of a change committed before the expansion arrives after the quorum answered it.
        replicas.committed(List.of(0, 1, 2), List.of(0, 1), 3);
        replicas.followerFetched(1, 130, 130, 4);
        assertThat(replicas.highWatermark(130, 4)).as("replica 2 may lead in the change just committed").isEqualTo(100);

        replicas.committed(List.of(0, 1, 2), List.of(0, 1, 2), 5);
        replicas.followerFetched(2, 130, 130, 6);
        assertThat(replicas.highWatermark(130, 6)).isEqualTo(130);
    }

    @Test
    void aProposedFollowerWhoseExpansionMayStillCommitHoldsTheHighWatermarkForAWhile() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 1, 2));
        replicas.proposalDone(IsrChannel.Result.UNKNOWN, 2); // no answer in time
        replicas.followerFetched(1, 130, 130, 3);
        assertThat(replicas.highWatermark(130, 3)).isEqualTo(100);
        assertThat(replicas.highWatermark(130, 1 + InSyncReplicas.PROVISIONAL_MS)).isEqualTo(130);
    }

    @Test
    void aRefusedExpansionStopsCountingItsFollowerAtOnceSoThatADeadOneNeverHoldsTheHighWatermark() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1); // then it dies: fenced, so every proposal adding it is refused
        for (long now = 1; now < 10 * InSyncReplicas.PROVISIONAL_MS; now += InSyncReplicas.REFUSED_BACKOFF_MS) {
            assertThat(replicas.proposeExpansion(100, now)).contains(List.of(0, 1, 2));
            replicas.proposalDone(IsrChannel.Result.REFUSED, now);
            replicas.followerFetched(1, 100 + now, 100 + now, now);
            assertThat(replicas.highWatermark(100 + now, now)).isEqualTo(100 + now);
        }
    }

    @Test
    void aRefusalThatArrivesAfterADeliveryEndedTheProposalStillStopsCountingItsFollower() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1); // then it stops: the proposal adding it will be refused
        List<Integer> proposed = replicas.proposeExpansion(100, 1).orElseThrow();
        replicas.committed(List.of(0, 1, 2), List.of(0, 1), 2); // an earlier change's delivery ends the proposal
        replicas.proposalDone(IsrChannel.Result.REFUSED, proposed, 3);
        replicas.followerFetched(1, 130, 130, 4);
        assertThat(replicas.highWatermark(130, 4)).as("the stopped follower no longer holds it").isEqualTo(130);
        assertThat(replicas.proposeExpansion(130, 5)).as("and is no longer proposed").isEmpty();
    }

    @Test
    void aProposalCarriesTheBrokerEpochOfEachFollowersLatestFetchAndNoneForTheLeader() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1), 0, 0);
        assertThat(replicas.brokerEpochs(List.of(0, 1, 2))).as("nobody fetched yet").containsExactly(-1L, -1L, -1L);

        replicas.followerFetched(1, 100, 17, 100, 1);
        replicas.followerFetched(2, 100, 23, 100, 1);
        assertThat(replicas.proposeExpansion(100, 1)).contains(List.of(0, 1, 2));
        assertThat(replicas.brokerEpochs(List.of(0, 1, 2))).containsExactly(-1L, 17L, 23L);
        replicas.proposalDone(IsrChannel.Result.REFUSED, 2);

        // Broker 2 restarted and registered again: its next fetch, from where its new log ends, has its new epoch.
        replicas.followerFetched(2, 100, 31, 100, 2);
        assertThat(replicas.brokerEpochs(List.of(0, 1, 2))).containsExactly(-1L, 17L, 31L);
        // A fetch without an epoch (an older fetch version) makes it unknown again rather than keeping an older one.
        replicas.followerFetched(2, 100, 100, 3);
        assertThat(replicas.brokerEpochs(List.of(2))).containsExactly(-1L);
    }

    @Test
    void aFollowerTheLeadersMetadataShowsFencedOrRegisteredAgainIsNotProposed() {
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0), 0, 0);
        replicas.followerFetched(1, 100, 17, 100, 1);
        replicas.followerFetched(2, 100, 23, 100, 1);
        // As the leader's metadata stands: broker 1 registered again in epoch 30, broker 2 is in epoch 23.
        java.util.function.BiPredicate<Integer, Long> eligible = (replica, epoch) -> replica == 1 ? epoch == 30 : epoch == 23;

        assertThat(replicas.proposeExpansion(100, 2, eligible)).contains(List.of(0, 2));
        replicas.committed(List.of(0, 1, 2), List.of(0, 2), 3);
        assertThat(replicas.proposeExpansion(100, 4, eligible)).as("not until its new incarnation fetches").isEmpty();
        replicas.followerFetched(1, 100, 30, 100, 5);
        assertThat(replicas.proposeExpansion(100, 5, eligible)).contains(List.of(0, 2, 1));
        assertThat(replicas.brokerEpochs(List.of(0, 2, 1))).containsExactly(-1L, 23L, 30L);
    }

    /**
     * A follower that stopped fetching keeps the log end of its last fetch, which still reaches a high
     * watermark that stalled; once dropped from the ISR it comes back only by a fetch of its own, not by
     * the other followers' fetches (found in a kill -9 test: the ISR went [0,1] -> [0,1,2] -> [0,1] ...).
     */
    @Test
    void aFollowerDroppedFromTheIsrComesBackOnlyByAFetchOfItsOwn() {
        long lag = 10_000;
        InSyncReplicas replicas = new InSyncReplicas(0, List.of(0, 1, 2), List.of(0, 1, 2), 0, 0);
        replicas.followerFetched(1, 100, 100, 1);
        replicas.followerFetched(2, 100, 100, 1);
        replicas.followerFetched(1, 100, 100, lag + 2);
        assertThat(replicas.proposeShrink(lag + 2, lag)).contains(List.of(0, 1));
        replicas.committed(List.of(0, 1, 2), List.of(0, 1), lag + 3);

        replicas.followerFetched(1, 100, 100, lag + 4);
        assertThat(replicas.proposeExpansion(100, lag + 4)).as("follower 2 has not fetched since it left").isEmpty();

        replicas.followerFetched(2, 100, 100, lag + 5);
        assertThat(replicas.proposeExpansion(100, lag + 5)).contains(List.of(0, 1, 2));
    }
}
