package io.tributary.broker.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.tributary.broker.compat.RawKafkaClient;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareAcknowledgeResponse;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ShareFetch and ShareAcknowledge requests a well-behaved client never sends, answered with Kafka's error
 * codes: session epochs out of turn, a session never opened, acknowledgements of records the member does
 * not hold or in a request that opens a session, an acknowledgement type that does not exist, a topic id
 * no topic has. Nothing acknowledged by mistake: a rejected acknowledgement leaves the records held.
 */
@Timeout(60)
class ShareFetchBadInputTest extends BrokerPerClass {

    private static final String GROUP = "share-bad-input";
    private static final String TOPIC = "share-bad-input";

    @Test
    void sessionsAndAcknowledgementsOutOfTurnGetKafkasErrors() throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                .all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
            }
        }
        Uuid topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        String member = Uuid.randomUuid().toString();
        try (RawKafkaClient client = new RawKafkaClient("localhost", broker.port())) {
            // No session yet: an incremental request, or a final one, finds none.
            assertThat(fetch(client, member, 1, topicId, null).errorCode()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
            assertThat(acknowledge(client, member, 1, topicId, 0, 0, (byte) 1).errorCode())
                    .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
            // A request opening a session may not acknowledge; ShareAcknowledge cannot open one.
            assertThat(fetch(client, member, 0, topicId, new long[] {0, 0, 1}).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(acknowledge(client, member, 0, topicId, 0, 0, (byte) 1).errorCode())
                    .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH.code());

            // Open it and acquire the ten records.
            ShareFetchResponseData opened = fetch(client, member, 0, topicId, null);
            assertThat(opened.errorCode()).isEqualTo(Errors.NONE.code());
            int epoch = 1;
            long acquired = acquiredCount(opened);
            while (acquired < 10) {
                ShareFetchResponseData more = fetch(client, member, epoch++, topicId, null);
                assertThat(more.errorCode()).isEqualTo(Errors.NONE.code());
                acquired += acquiredCount(more);
            }

            // An epoch out of turn.
            assertThat(fetch(client, member, epoch + 5, topicId, null).errorCode())
                    .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH.code());
            // Offsets this member does not hold (past the end), and a type that does not exist.
            ShareAcknowledgeResponseData notHeld = acknowledge(client, member, epoch++, topicId, 5, 20, (byte) 1);
            assertThat(notHeld.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(partitionError(notHeld)).isEqualTo(Errors.INVALID_RECORD_STATE.code());
            ShareAcknowledgeResponseData badType = acknowledge(client, member, epoch++, topicId, 0, 0, (byte) 7);
            assertThat(partitionError(badType)).isEqualTo(Errors.INVALID_REQUEST.code());
            // Another member may not acknowledge what this one holds.
            String other = Uuid.randomUuid().toString();
            assertThat(fetch(client, other, 0, topicId, null).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(partitionError(acknowledge(client, other, 1, topicId, 0, 9, (byte) 1)))
                    .isEqualTo(Errors.INVALID_RECORD_STATE.code());
            // Nothing was acknowledged by those: the holder still acknowledges all ten.
            assertThat(partitionError(acknowledge(client, member, epoch++, topicId, 0, 9, (byte) 1))).isEqualTo(Errors.NONE.code());

            // A topic id no topic has.
            ShareFetchResponseData unknown = fetch(client, member, epoch++, Uuid.randomUuid(), null);
            assertThat(unknown.responses()).anySatisfy(topic -> assertThat(topic.partitions())
                    .anySatisfy(p -> assertThat(p.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code())));

            // The final request ends the session.
            assertThat(acknowledge(client, member, -1, topicId, 0, 0, (byte) 1).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(fetch(client, member, epoch, topicId, null).errorCode()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
        }
    }

    private ShareFetchResponseData fetch(RawKafkaClient client, String member, int epoch, Uuid topicId, long[] ack) {
        ShareFetchRequestData.FetchPartition partition = new ShareFetchRequestData.FetchPartition().setPartitionIndex(0);
        if (ack != null) {
            partition.acknowledgementBatches().add(new ShareFetchRequestData.AcknowledgementBatch()
                    .setFirstOffset(ack[0]).setLastOffset(ack[1]).setAcknowledgeTypes(List.of((byte) ack[2])));
        }
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(partition);
        ShareFetchRequestData request = new ShareFetchRequestData().setGroupId(GROUP).setMemberId(member)
                .setShareSessionEpoch(epoch).setMaxWaitMs(100).setMinBytes(1).setMaxBytes(1 << 20).setMaxRecords(100)
                .setBatchSize(100);
        request.topics().add(topic);
        ShareFetchResponse response = client.call(ApiKeys.SHARE_FETCH, (short) 1, request);
        return response.data();
    }

    private ShareAcknowledgeResponseData acknowledge(RawKafkaClient client, String member, int epoch, Uuid topicId,
            long first, long last, byte type) {
        ShareAcknowledgeRequestData.AcknowledgePartition partition = new ShareAcknowledgeRequestData.AcknowledgePartition()
                .setPartitionIndex(0);
        partition.acknowledgementBatches().add(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                .setFirstOffset(first).setLastOffset(last).setAcknowledgeTypes(List.of(type)));
        ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(topicId);
        topic.partitions().add(partition);
        ShareAcknowledgeRequestData request = new ShareAcknowledgeRequestData().setGroupId(GROUP).setMemberId(member)
                .setShareSessionEpoch(epoch);
        request.topics().add(topic);
        ShareAcknowledgeResponse response = client.call(ApiKeys.SHARE_ACKNOWLEDGE, (short) 1, request);
        return response.data();
    }

    private static long acquiredCount(ShareFetchResponseData response) {
        return response.responses().stream().flatMap(topic -> topic.partitions().stream())
                .flatMap(p -> p.acquiredRecords().stream()).mapToLong(r -> r.lastOffset() - r.firstOffset() + 1).sum();
    }

    private static short partitionError(ShareAcknowledgeResponseData response) {
        return response.responses().iterator().next().partitions().get(0).errorCode();
    }
}
