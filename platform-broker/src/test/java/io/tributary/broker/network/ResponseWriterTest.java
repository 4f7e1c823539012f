package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.log.FailingWritesChannel;
import io.tributary.broker.log.LogSlice;

class ResponseWriterTest {

    private static final UnpooledByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(false);
    private static final MemoryRecords RECORDS = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("k".getBytes(), "v".repeat(300).getBytes()), new SimpleRecord(null, new byte[0]));

    @TempDir
    Path dir;

    /** What kafka-clients itself sends: size, header, body. */
    private static byte[] kafkaClientsBytes(ResponseHeader header, ApiMessage body, short version) {
        ByteBuffer serialized = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        return ByteBuffer.allocate(4 + serialized.remaining()).putInt(serialized.remaining()).put(serialized).array();
    }

    /** The bytes the parts put on the wire, reading file regions from their files. */
    private static byte[] wireBytes(List<Object> parts) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(1 << 16);
        for (Object part : parts) {
            if (part instanceof ByteBuf buffer) {
                all.put(buffer.nioBuffer());
            } else {
                SegmentFileRegion region = (SegmentFileRegion) part;
                region.open();
                ByteBuffer bytes = ByteBuffer.allocate((int) region.count());
                try (ByteArrayOutputStream sink = new ByteArrayOutputStream()) {
                    WritableByteChannel channel = Channels.newChannel(sink);
                    while (region.transferred() < region.count()) {
                        region.transferTo(channel, region.transferred());
                    }
                    bytes.put(sink.toByteArray());
                }
                all.put(bytes.flip());
            }
        }
        byte[] bytes = new byte[all.position()];
        all.flip().get(bytes);
        return bytes;
    }

    private static FetchResponseData fetchResponse(BaseRecords records) {
        FetchResponseData data = new FetchResponseData().setSessionId(7);
        data.responses().add(new FetchResponseData.FetchableTopicResponse().setTopic("orders").setTopicId(Uuid.ONE_UUID)
                .setPartitions(List.of(
                        new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(42).setRecords(records),
                        new FetchResponseData.PartitionData().setPartitionIndex(1).setHighWatermark(-1).setRecords(MemoryRecords.EMPTY))));
        return data;
    }

    static Stream<Arguments> responses() {
        MetadataResponseData metadata = new MetadataResponseData().setClusterId("c").setControllerId(3).setThrottleTimeMs(-7);
        metadata.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("h".repeat(200)).setPort(9092).setRack(null));
        metadata.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("t").setTopicId(Uuid.randomUuid())
                .setPartitions(List.of(new MetadataResponseData.MetadataResponsePartition().setReplicaNodes(List.of(1, 2, 3)))));
        ApiVersionsResponseData apiVersions = new ApiVersionsResponseData().setFinalizedFeaturesEpoch(Long.MIN_VALUE);
        apiVersions.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 18).setMaxVersion((short) 4));
        return Stream.of(
                Arguments.of(apiVersions, (short) 0),
                Arguments.of(apiVersions, (short) 4),
                Arguments.of(metadata, (short) 4),
                Arguments.of(metadata, (short) 12),
                Arguments.of(new ListGroupsResponseData().setGroups(List.of(new ListGroupsResponseData.ListedGroup().setGroupId("g"))), (short) 5),
                Arguments.of(fetchResponse(RECORDS), (short) 11),
                Arguments.of(fetchResponse(RECORDS), (short) 12),
                Arguments.of(fetchResponse(null), (short) 17));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void writesTheBytesKafkaClientsWould(ApiMessage body, short version) throws IOException {
        ApiKeys apiKey = ApiKeys.forId(body.apiKey());
        ResponseHeader header = new ResponseHeader(123, apiKey.responseHeaderVersion(version));

        List<Object> parts = ResponseWriter.encode(ALLOCATOR, header, body, version);
        try {
            assertThat(parts).singleElement().isInstanceOf(ByteBuf.class);
            assertThat(wireBytes(parts)).isEqualTo(kafkaClientsBytes(header, body, version));
        } finally {
            parts.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void aLogSliceBecomesARegionOfItsFileBetweenTheBytesAroundIt() throws IOException {
        int records = RECORDS.sizeInBytes();
        Path segment = segmentWithRecordsAt50();
        ResponseHeader header = new ResponseHeader(5, ApiKeys.FETCH.responseHeaderVersion((short) 12));

        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            List<Object> parts = ResponseWriter.encode(ALLOCATOR, header, fetchResponse(new LogSlice(channel, 50, records, 1)), (short) 12);
            try {
                assertThat(parts).hasSize(3);
                assertThat(parts.get(1)).isInstanceOfSatisfying(DefaultFileRegion.class, region -> {
                    assertThat(region.position()).isEqualTo(50);
                    assertThat(region.count()).isEqualTo(records);
                });
                assertThat(wireBytes(parts)).isEqualTo(kafkaClientsBytes(header, fetchResponse(RECORDS), (short) 12));
            } finally {
                parts.forEach(ReferenceCountUtil::release);
            }
            assertThat(parts).allSatisfy(part -> assertThat(ReferenceCountUtil.refCnt(part)).isZero());
            assertThat(channel.isOpen()).as("the segment's channel after its region was released").isTrue();
        }
    }

    @Test
    void aLogSliceOfAFileChannelThatIsNotTheJdksIsCopiedBecauseSendfileCannotCarryIt() throws IOException {
        Path segment = segmentWithRecordsAt50();
        ResponseHeader header = new ResponseHeader(5, ApiKeys.FETCH.responseHeaderVersion((short) 12));

        // As a test's FileChannelFactory opens segment files: the JDK's channel, wrapped.
        try (FileChannel channel = new FailingWritesChannel(FileChannel.open(segment, StandardOpenOption.READ),
                () -> false, FailingWritesChannel.EIO)) {
            List<Object> parts = ResponseWriter.encode(ALLOCATOR, header, fetchResponse(new LogSlice(channel, 50, RECORDS.sizeInBytes(), 1)), (short) 12);
            try {
                assertThat(parts).allSatisfy(part -> assertThat(part).isInstanceOf(ByteBuf.class));
                assertThat(wireBytes(parts)).isEqualTo(kafkaClientsBytes(header, fetchResponse(RECORDS), (short) 12));
            } finally {
                parts.forEach(ReferenceCountUtil::release);
            }
        }
    }

    /** A segment file holding {@link #RECORDS} from position 50, with 9 bytes after them. */
    private Path segmentWithRecordsAt50() throws IOException {
        byte[] records = new byte[RECORDS.sizeInBytes()];
        RECORDS.buffer().duplicate().get(records);
        Path segment = dir.resolve("segment.log");
        Files.write(segment, ByteBuffer.allocate(50 + records.length + 9).position(50).put(records).array());
        return segment;
    }

    @Test
    void anEmptyLogSliceAddsNoRegion() throws IOException {
        ResponseHeader header = new ResponseHeader(5, ApiKeys.FETCH.responseHeaderVersion((short) 12));

        List<Object> parts = ResponseWriter.encode(ALLOCATOR, header, fetchResponse(LogSlice.EMPTY), (short) 12);
        try {
            assertThat(parts).singleElement().isInstanceOf(ByteBuf.class);
            assertThat(wireBytes(parts)).isEqualTo(kafkaClientsBytes(header, fetchResponse(MemoryRecords.EMPTY), (short) 12));
        } finally {
            parts.forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void varintsAreKafkasZigZagVarints() {
        long[] values = {0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 16383, 16384, Integer.MAX_VALUE, Integer.MIN_VALUE,
                (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 49, -(1L << 49)};
        for (long value : values) {
            ResponseWriter writer = new ResponseWriter(ALLOCATOR, 0);
            ByteBuffer expected = ByteBuffer.allocate(64);
            if (value == (int) value) {
                writer.writeVarint((int) value);
                ByteUtils.writeVarint((int) value, expected);
                writer.writeUnsignedVarint((int) value);
                ByteUtils.writeUnsignedVarint((int) value, expected);
            }
            writer.writeVarlong(value);
            ByteUtils.writeVarlong(value, expected);
            ByteBuf written = (ByteBuf) writer.finish().get(0);
            try {
                assertThat(Bytes.of(written)).as("value %d", value).isEqualTo(Bytes.of(expected.flip()));
            } finally {
                written.release();
            }
        }
    }

    private static final class Bytes {

        static byte[] of(ByteBuf buffer) {
            return ByteBufUtil.getBytes(buffer);
        }

        static byte[] of(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
    }
}
