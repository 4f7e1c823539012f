package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.metadata.LocalBroker;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broker's heartbeats against a controller that answers late or says the broker was fenced: the
 * broker keeps heartbeating on time, and registers again once per fencing.
 */
class ClusterMembershipTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ScriptedQuorum quorum = new ScriptedQuorum();
    private final ClusterMembership membership;

    ClusterMembershipTest() {
        ClusterProperties properties = new ClusterProperties();
        properties.setHeartbeatInterval(Duration.ofMillis(50));
        membership = new ClusterMembership(new LocalBroker(4, "localhost", 9092, "cluster"), quorum,
                new BrokerLiveness(3_000, System::nanoTime), properties, scheduler);
    }

    @AfterEach
    void close() {
        membership.close();
    }

    @Test
    void aHeartbeatThatIsNeverAnsweredDoesNotHoldBackTheNext() {
        quorum.answers.add(new CompletableFuture<>()); // held by a leader that froze
        membership.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> quorum.heartbeats.get() >= 5);
        assertThat(quorum.registrations).hasSize(1);
    }

    @Test
    void aFencedBrokerRegistersAgainOnceAndTakesTheEpochItWasGiven() {
        membership.start();
        assertThat(membership.brokerEpoch()).isEqualTo(1);
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        quorum.answers.add(first);
        quorum.answers.add(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> quorum.heartbeats.get() >= 3);
        first.complete(false);
        second.complete(false); // the same fencing, told twice
        await().atMost(Duration.ofSeconds(10)).until(() -> membership.brokerEpoch() == 2);
        int heartbeats = quorum.heartbeats.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> quorum.heartbeats.get() >= heartbeats + 5);
        assertThat(quorum.registrations).hasSize(2);
    }

    @Test
    void aLateFencedAnswerAboutTheIncarnationItAlreadyReplacedIsIgnored() {
        membership.start();
        CompletableFuture<Boolean> fenced = new CompletableFuture<>();
        CompletableFuture<Boolean> late = new CompletableFuture<>();
        quorum.answers.add(fenced);
        quorum.answers.add(late);
        await().atMost(Duration.ofSeconds(10)).until(() -> quorum.heartbeats.get() >= 3);
        fenced.complete(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> membership.brokerEpoch() == 2);
        late.complete(false); // sent in epoch 1, answered after the broker registered again
        int heartbeats = quorum.heartbeats.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> quorum.heartbeats.get() >= heartbeats + 5);
        assertThat(quorum.registrations).hasSize(2);
    }

    /** A quorum that registers at once and answers heartbeats from a script, then with "live". */
    private static final class ScriptedQuorum implements MetadataQuorum {

        final List<CompletableFuture<Boolean>> answers = new CopyOnWriteArrayList<>();
        final List<RegisterBroker> registrations = new CopyOnWriteArrayList<>();
        final AtomicInteger heartbeats = new AtomicInteger();
        private final MetaProperties meta = new MetaProperties(Uuid.randomUuid(), 4, Uuid.randomUuid());

        @Override
        public MetadataImage image() {
            return MetadataImage.EMPTY;
        }

        @Override
        public MetaProperties meta() {
            return meta;
        }

        @Override
        public void join() {
        }

        @Override
        public CommandResult submit(MetadataCommand command) {
            if (command instanceof RegisterBroker register) {
                registrations.add(register);
                return CommandResult.value(registrations.size());
            }
            return CommandResult.OK;
        }

        @Override
        public CommandResult submitAsController(MetadataCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> heartbeat(int nodeId) {
            heartbeats.incrementAndGet();
            return answers.isEmpty() ? CompletableFuture.completedFuture(true) : answers.remove(0);
        }

        @Override
        public int leaderId() {
            return 1;
        }

        @Override
        public void onChange(Consumer<MetadataImage> listener) {
        }
    }
}
