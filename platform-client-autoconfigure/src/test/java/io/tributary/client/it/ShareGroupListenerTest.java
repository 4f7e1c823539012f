package io.tributary.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventType;
import io.tributary.client.test.EmbeddedTributary;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ShareAcknowledgment;

/**
 * Queues through the starter against a real broker: a share group's {@code @KafkaListener} with three consumers on
 * the implicit factory gets every typed event of the topic once, however the broker spreads them; a listener on the
 * explicit factory accepts, releases (and so gets again) and rejects (and so never gets again) records one by one.
 * Both groups start at the earliest record through {@code tributary.share-groups.<group>.auto-offset-reset}, which the
 * starter sets on the cluster before the listeners join.
 */
@SpringBootTest(properties = {
        "spring.application.name=queue-shop",
        "tributary.topics.queue-jobs.partitions=2",
        "tributary.topics.queue-reviews.partitions=1",
        "tributary.share-groups.queue-workers.auto-offset-reset=earliest",
        "tributary.share-groups.queue-reviewers.auto-offset-reset=earliest",
        "tributary.share-groups.queue-reviewers.record-lock-duration=15s",
        "spring.kafka.producer.properties.linger.ms=0",
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
})
@EmbeddedTributary
class ShareGroupListenerTest {

    private static final int JOBS = 60;

    @Autowired
    EventPublisher publisher;

    @Autowired
    KafkaTemplate<String, byte[]> template;

    @Autowired
    Admin admin;

    @Autowired
    Workers workers;

    @Autowired
    Reviewers reviewers;

    @Test
    void threeShareConsumersGetEveryJobOnceBetweenThem() throws Exception {
        for (int i = 0; i < JOBS; i++) {
            publisher.publish("queue-jobs", "job-" + i, new JobSubmitted("job-" + i)).get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> workers.received.size() >= JOBS);
        // Nothing is handed out twice, even after a while: each job was accepted by the one consumer that got it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> workers.received.size() == JOBS);
        assertThat(workers.received).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList());

        ShareGroupDescription group = admin.describeShareGroups(List.of("queue-workers")).all()
                .get(10, TimeUnit.SECONDS).get("queue-workers");
        assertThat(group.members()).as("the listener's concurrency: three share consumers in the group").hasSize(3);
    }

    @Test
    void anExplicitListenerAcceptsReleasesAndRejects() throws Exception {
        for (String review : List.of("fine-1", "retry-later", "spam", "fine-2")) {
            template.send("queue-reviews", review, review.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> reviewers.deliveries.size() >= 5);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reviewers.deliveries.size() == 5);
        assertThat(reviewers.deliveries).containsExactlyInAnyOrder("fine-1", "retry-later", "retry-later", "spam", "fine-2");

        Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.GROUP, "queue-reviewers")))
                .all().get(10, TimeUnit.SECONDS).values().iterator().next();
        assertThat(config.get("share.auto.offset.reset").value()).isEqualTo("earliest");
        assertThat(config.get("share.record.lock.duration.ms").value()).isEqualTo("15000");
    }

    @EventType("JobSubmitted")
    record JobSubmitted(String jobId) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class QueueApplication {

        @Bean
        Workers workers() {
            return new Workers();
        }

        @Bean
        Reviewers reviewers() {
            return new Reviewers();
        }
    }

    /** Takes jobs off the queue with three share consumers; a typed event, as on a consumer group. */
    static class Workers {

        final Queue<String> received = new ConcurrentLinkedQueue<>();

        @KafkaListener(topics = "queue-jobs", groupId = "queue-workers", concurrency = "3",
                containerFactory = "shareKafkaListenerContainerFactory")
        void on(JobSubmitted job) {
            received.add(job.jobId());
        }
    }

    /** Accepts good reviews, releases one once (it comes back), rejects spam (it never comes back). */
    static class Reviewers {

        final Queue<String> deliveries = new ConcurrentLinkedQueue<>();
        private final Set<String> released = ConcurrentHashMap.newKeySet();

        @KafkaListener(topics = "queue-reviews", groupId = "queue-reviewers",
                containerFactory = "explicitShareKafkaListenerContainerFactory")
        void on(ConsumerRecord<String, byte[]> record, ShareAcknowledgment acknowledgment) {
            String review = new String(record.value(), StandardCharsets.UTF_8);
            deliveries.add(review);
            if (review.equals("spam")) {
                acknowledgment.reject();
            } else if (review.equals("retry-later") && released.add(review)) {
                acknowledgment.release();
            } else {
                acknowledgment.acknowledge();
            }
        }
    }
}
