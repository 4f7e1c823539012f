package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.assertNoGaps;
import static io.tributary.broker.compat.groups.GroupClients.assertValuesMatchOffsets;
import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.get;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kafka-clients' consumers on the KIP-848 rebalance protocol ({@code group.protocol=consumer}): the
 * coordinator assigns, members revoke before anyone else gets a partition, static members come back
 * without a rebalance, regular-expression subscriptions pick up new topics, and the admin client
 * describes and lists such groups.
 */
@Timeout(90)
class ConsumerProtocolTest extends BrokerPerClass {

    @Override
    protected List<String> brokerArgs() {
        return List.of("--tributary.broker.group.consumer-heartbeat-interval=300ms",
                "--tributary.broker.group.consumer-session-timeout=6s");
    }

    private static Map<String, Object> consumerProtocol(Map<String, Object> more) {
        Map<String, Object> config = new java.util.HashMap<>(more);
        config.put("group.protocol", "consumer");
        return config;
    }

    @Test
    void membersJoiningAndLeavingUnderLoadNeverOwnAPartitionTogetherAndConsumeEveryRecord() throws Exception {
        String topic = "cp-load";
        String group = "cp-load";
        int partitions = 8;
        createTopic(admin, topic, partitions);
        OwnershipChecker ownership = new OwnershipChecker();
        List<BackgroundConsumer> consumers = new ArrayList<>();
        Map<String, Object> config = consumerProtocol(Map.of("max.poll.records", 100));
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap(), topic, partitions, 20_000)) {
            for (int i = 0; i < 3; i++) {
                String name = group + "-" + i;
                consumers.add(new BackgroundConsumer(name, bootstrap(), group, config, List.of(topic), ownership.listenerFor(name)));
            }
            awaitSpread(consumers, partitions);
            for (int i = 3; i < 5; i++) {
                String name = group + "-" + i;
                consumers.add(new BackgroundConsumer(name, bootstrap(), group, config, List.of(topic), ownership.listenerFor(name)));
            }
            awaitSpread(consumers, partitions);
            // Two members leave (close sends the leave heartbeat); the three left share their partitions.
            consumers.get(0).close();
            consumers.get(3).close();
            List<BackgroundConsumer> remaining = List.of(consumers.get(1), consumers.get(2), consumers.get(4));
            awaitSpread(remaining, partitions);
            producer.close();
            assertThat(producer.failure()).isNull();

            Map<TopicPartition, Long> ends = endOffsets(admin, topic, partitions);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(admin, group)).isEqualTo(ends));
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                all.addAll(consumer.records());
            }
            assertNoGaps(all, ends);
            assertValuesMatchOffsets(all);
            assertThat(ownership.violations()).isEmpty();

            // The members own their shares before the last of them has told the coordinator so in a heartbeat:
            // the group is Stable from that heartbeat on.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ConsumerGroupDescription described = GroupClients.describe(admin, group);
                assertThat(described.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(described.partitionAssignor()).isEqualTo("uniform");
                assertThat(described.members()).hasSize(3);
                assertThat(described.groupEpoch()).isPresent();
                assertThat(described.targetAssignmentEpoch()).isEqualTo(described.groupEpoch());
                for (MemberDescription member : described.members()) {
                    assertThat(member.memberEpoch()).isEqualTo(described.groupEpoch());
                    assertThat(member.targetAssignment()).contains(member.assignment());
                }
            });
        } finally {
            consumers.forEach(BackgroundConsumer::close);
        }
    }

    /** Waits until the consumers own every partition between them, none twice, as evenly as can be. */
    private static void awaitSpread(List<BackgroundConsumer> consumers, int partitions) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<TopicPartition> all = new HashSet<>();
            int total = 0;
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                assertThat(consumer.assignment().size()).as(consumer.name())
                        .isBetween(partitions / consumers.size(), (partitions + consumers.size() - 1) / consumers.size());
                all.addAll(consumer.assignment());
                total += consumer.assignment().size();
            }
            assertThat(all).hasSize(partitions);
            assertThat(total).isEqualTo(partitions);
        });
    }

    @Test
    void aStaticMemberThatComesBackKeepsItsPartitionsAndTheOthersKeepTheirEpoch() {
        createTopic(admin, "cp-static", 4);
        Map<String, Object> first = consumerProtocol(Map.of("group.instance.id", "cp-static-1"));
        Map<String, Object> second = consumerProtocol(Map.of("group.instance.id", "cp-static-2"));
        BackgroundConsumer one = new BackgroundConsumer("cp-static-1", bootstrap(), "cp-statics", first, List.of("cp-static"));
        try (BackgroundConsumer two = new BackgroundConsumer("cp-static-2", bootstrap(), "cp-statics", second,
                List.of("cp-static"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(one.assignment()).hasSize(2);
                assertThat(two.assignment()).hasSize(2);
            });
            Set<TopicPartition> onesPartitions = one.assignment();
            ConsumerGroupDescription before = GroupClients.describe(admin, "cp-statics");
            int epochBefore = before.groupEpoch().orElseThrow();
            int twosEvents = two.events().size();

            one.close(); // a static member's close says it will be back (epoch -2): it keeps its place
            ConsumerGroupDescription away = GroupClients.describe(admin, "cp-statics");
            assertThat(away.members()).hasSize(2);
            assertThat(away.groupEpoch()).contains(epochBefore);

            try (BackgroundConsumer back = new BackgroundConsumer("cp-static-1b", bootstrap(), "cp-statics", first,
                    List.of("cp-static"))) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(back.assignment()).isEqualTo(onesPartitions));
                ConsumerGroupDescription after = GroupClients.describe(admin, "cp-statics");
                assertThat(after.groupEpoch()).contains(epochBefore);
                assertThat(after.members()).hasSize(2);
                assertThat(two.events()).hasSize(twosEvents);
                assertThat(two.assignment()).hasSize(2);
            }
        }
    }

    @Test
    void aRegularExpressionSubscriptionPicksUpATopicCreatedLater() {
        createTopic(admin, "cp-regex-a", 2);
        Map<String, Object> config = consumerProtocol(Map.of("metadata.max.age.ms", 1_000));
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "cp-regex-a", 2, 0, 5);
            try (BackgroundConsumer consumer = BackgroundConsumer.withPattern("cp-regex", bootstrap(), "cp-regex", config,
                    "cp-regex-.*")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> consumer.recordCount() >= 10);
                createTopic(admin, "cp-regex-b", 3);
                produce(producer, "cp-regex-b", 3, 0, 5);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(consumer.assignment()).hasSize(5);
                    assertThat(consumer.recordCount()).isEqualTo(25);
                });
                assertThat(consumer.failure()).isNull();
            }
        }
    }

    @Test
    void theAdminClientListsGroupsByTypeAndDescribesBothKinds() {
        createTopic(admin, "cp-kinds", 2);
        try (BackgroundConsumer modern = new BackgroundConsumer("cp-modern", bootstrap(), "cp-modern",
                consumerProtocol(Map.of()), List.of("cp-kinds"));
             BackgroundConsumer classic = new BackgroundConsumer("cp-classic", bootstrap(), "cp-classic", Map.of(),
                     List.of("cp-kinds"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(modern.assignment()).hasSize(2);
                assertThat(classic.assignment()).hasSize(2);
            });
            Collection<GroupListing> consumers = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                    .withTypes(Set.of(GroupType.CONSUMER))).all());
            assertThat(consumers).extracting(GroupListing::groupId).contains("cp-modern").doesNotContain("cp-classic");
            Collection<GroupListing> classics = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                    .withTypes(Set.of(GroupType.CLASSIC))).all());
            assertThat(classics).extracting(GroupListing::groupId).contains("cp-classic").doesNotContain("cp-modern");

            assertThat(GroupClients.describe(admin, "cp-modern").type()).isEqualTo(GroupType.CONSUMER);
            assertThat(GroupClients.describe(admin, "cp-classic").type()).isEqualTo(GroupType.CLASSIC);
            assertThat(GroupClients.describe(admin, "cp-classic").members()).hasSize(1);
        }
    }
}
