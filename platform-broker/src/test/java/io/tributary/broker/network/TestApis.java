package io.tributary.broker.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import io.tributary.broker.api.ApiHandler;
import io.tributary.broker.api.ApiRouter;
import io.tributary.broker.api.RequestContext;
import io.tributary.broker.log.LogSlice;

/** Tiny API handlers for driving the network layer: just enough broker to answer real clients. */
final class TestApis {

    static final String CLUSTER_ID = "tributary-network-test";

    /** Metadata is served at these versions only, so that others can be refused. */
    static final short METADATA_MIN = 4;
    static final short METADATA_MAX = 12;

    /** ListGroups requests, held until the test completes their futures. */
    final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    /** What Fetch answers with. */
    volatile Supplier<LogSlice> fetched = () -> LogSlice.EMPTY;
    volatile int advertisedPort;
    final ApiRouter router;

    TestApis() {
        this(ApiKeys.API_VERSIONS.latestVersion(true));
    }

    TestApis(short maxApiVersionsVersion) {
        List<ApiHandler<?>> handlers = new ArrayList<>();
        handlers.add(new ApiVersionsHandler(maxApiVersionsVersion));
        handlers.add(new MetadataHandler());
        handlers.add(new HeldListGroupsHandler());
        handlers.add(new FetchHandler());
        handlers.add(new ProduceHandler());
        router = new ApiRouter(handlers);
    }

    /** A request whose response the test decides. */
    record Held(RequestContext context, ListGroupsRequest request, CompletableFuture<AbstractResponse> future) {
    }

    private final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {

        private final short maxVersion;

        ApiVersionsHandler(short maxVersion) {
            this.maxVersion = maxVersion;
        }

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.API_VERSIONS;
        }

        @Override
        public short minVersion() {
            return 0;
        }

        @Override
        public short maxVersion() {
            return maxVersion;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
            return CompletableFuture.completedFuture(new ApiVersionsResponse(new ApiVersionsResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setApiKeys(router.advertisedVersions())));
        }
    }

    private final class MetadataHandler implements ApiHandler<MetadataRequest> {

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.METADATA;
        }

        @Override
        public short minVersion() {
            return METADATA_MIN;
        }

        @Override
        public short maxVersion() {
            return METADATA_MAX;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, MetadataRequest request) {
            MetadataResponseData data = new MetadataResponseData()
                    .setClusterId(CLUSTER_ID)
                    .setControllerId(0);
            data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(0).setHost("127.0.0.1").setPort(advertisedPort));
            if (request.data().topics() != null) {
                for (var topic : request.data().topics()) {
                    data.topics().add(new MetadataResponseData.MetadataResponseTopic()
                            .setName(topic.name())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            return CompletableFuture.completedFuture(new MetadataResponse(data, context.apiVersion()));
        }
    }

    private final class HeldListGroupsHandler implements ApiHandler<ListGroupsRequest> {

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.LIST_GROUPS;
        }

        @Override
        public short minVersion() {
            return 0;
        }

        @Override
        public short maxVersion() {
            return ApiKeys.LIST_GROUPS.latestVersion(true);
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, ListGroupsRequest request) {
            CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
            held.add(new Held(context, request, future));
            return future;
        }
    }

    /** Answers every partition asked for with the slice {@link #fetched} supplies. */
    private final class FetchHandler implements ApiHandler<FetchRequest> {

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.FETCH;
        }

        @Override
        public short minVersion() {
            return ApiKeys.FETCH.oldestVersion();
        }

        @Override
        public short maxVersion() {
            return ApiKeys.FETCH.latestVersion(true);
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, FetchRequest request) {
            FetchResponseData data = new FetchResponseData();
            for (FetchRequestData.FetchTopic topic : request.data().topics()) {
                FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(topic.topic()).setTopicId(topic.topicId());
                for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                    LogSlice slice = fetched.get();
                    topicResponse.partitions().add(new FetchResponseData.PartitionData()
                            .setPartitionIndex(partition.partition())
                            .setHighWatermark(1)
                            .setLastStableOffset(1)
                            .setLogStartOffset(0)
                            .setRecords(slice));
                }
                data.responses().add(topicResponse);
            }
            return CompletableFuture.completedFuture(FetchResponse.of(data));
        }
    }

    /** Appends nothing; answers nothing to acks=0, as the protocol wants. */
    private static final class ProduceHandler implements ApiHandler<ProduceRequest> {

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.PRODUCE;
        }

        @Override
        public short minVersion() {
            return ApiKeys.PRODUCE.oldestVersion();
        }

        @Override
        public short maxVersion() {
            return ApiKeys.PRODUCE.latestVersion(true);
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(RequestContext context, ProduceRequest request) {
            if (request.acks() == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.completedFuture(new ProduceResponse(new ProduceResponseData()));
        }
    }
}
