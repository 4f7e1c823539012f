package io.tributary.broker.share.coordinator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import io.tributary.broker.cluster.BrokerChannels;
import io.tributary.broker.cluster.BrokerConnection;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteShareGroupStateRequest;
import org.apache.kafka.common.requests.DeleteShareGroupStateResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateRequest;
import org.apache.kafka.common.requests.ReadShareGroupStateResponse;
import org.apache.kafka.common.requests.WriteShareGroupStateRequest;
import org.apache.kafka.common.requests.WriteShareGroupStateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ShareStatePersister} of a broker (Kafka's {@code DefaultStatePersister}): each call goes to
 * the share coordinator of its key, the leader of the key's {@code __share_group_state} partition —
 * this broker's own {@link ShareCoordinator} when it leads it, otherwise that broker, with
 * ReadShareGroupState / WriteShareGroupState / DeleteShareGroupState over a kept inter-broker connection
 * ({@link BrokerChannels}, one per destination broker). NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
 * COORDINATOR_NOT_AVAILABLE and unreachable brokers are retried with backoff, asking the metadata where
 * the leader is each time, until the timeout; then the call fails with the last error. The state topic is
 * created when first needed.
 *
 * <p>Both paths answer alike: a read's state passes through the ReadShareGroupState form, which does not
 * carry the leader epoch (it is -1), locally too.
 *
 * <p>Thread-safe.
 */
public final class ShareCoordinatorPersister implements ShareStatePersister, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShareCoordinatorPersister.class);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1_000;

    /** One operation, as done by the local coordinator or asked of another broker. */
    private interface Operation<T> {
        CompletableFuture<T> local(ShareCoordinator coordinator);

        AbstractRequest.Builder<?> request();

        /** The operation's answer in a response; throws a {@link CoordinatorException} for its error. */
        T answer(AbstractResponse response);
    }

    private final int nodeId;
    private final ShareCoordinator coordinator;
    private final ClusterMetadata metadata;
    private final String interBrokerListener;
    private final Supplier<InterBrokerClient> security;
    private final int requestTimeoutMs;
    private final long retryTimeoutMs;
    private final BrokerChannels<AbstractRequest.Builder<?>, AbstractResponse> channels =
            new BrokerChannels<>(this::connect, "tributary-share-state-to-", null);

    /**
     * @param requestTimeoutMs how long one request to another broker may take
     * @param retryTimeoutMs   how long a call retries coordinator errors before it fails with the last one
     */
    public ShareCoordinatorPersister(int nodeId, ShareCoordinator coordinator, ClusterMetadata metadata,
            String interBrokerListener, Supplier<InterBrokerClient> security, int requestTimeoutMs, long retryTimeoutMs) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
        this.metadata = metadata;
        this.interBrokerListener = interBrokerListener;
        this.security = security;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryTimeoutMs = retryTimeoutMs;
    }

    @Override
    public CompletableFuture<Optional<SharePartitionState>> read(String groupId, Uuid topicId, int partition) {
        SharePartitionKey key = new SharePartitionKey(groupId, topicId, partition);
        return call(key, new Operation<>() {
            @Override
            public CompletableFuture<Optional<SharePartitionState>> local(ShareCoordinator here) {
                return here.read(key, ShareCoordinatorShard.NO_EPOCH).thenApply(state -> ShareStateMessages.state(
                        ShareStateMessages.readResult(new ReadShareGroupStateResponseData.PartitionResult(), state)));
            }

            @Override
            public AbstractRequest.Builder<?> request() {
                return new ReadShareGroupStateRequest.Builder(ShareStateMessages.readRequest(key, ShareCoordinatorShard.NO_EPOCH));
            }

            @Override
            public Optional<SharePartitionState> answer(AbstractResponse response) {
                ReadShareGroupStateResponseData.PartitionResult result = only(((ReadShareGroupStateResponse) response).data()
                        .results(), ReadShareGroupStateResponseData.ReadStateResult::partitions);
                throwIfFailed(result.errorCode(), result.errorMessage());
                return ShareStateMessages.state(result);
            }
        });
    }

    @Override
    public CompletableFuture<Void> write(String groupId, Uuid topicId, int partition, SharePartitionState state) {
        SharePartitionKey key = new SharePartitionKey(groupId, topicId, partition);
        return call(key, new Operation<>() {
            @Override
            public CompletableFuture<Void> local(ShareCoordinator here) {
                return here.write(key, state);
            }

            @Override
            public AbstractRequest.Builder<?> request() {
                return new WriteShareGroupStateRequest.Builder(ShareStateMessages.writeRequest(key, state));
            }

            @Override
            public Void answer(AbstractResponse response) {
                var result = only(((WriteShareGroupStateResponse) response).data().results(), r -> r.partitions());
                throwIfFailed(result.errorCode(), result.errorMessage());
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(String groupId, Uuid topicId, int partition) {
        SharePartitionKey key = new SharePartitionKey(groupId, topicId, partition);
        return call(key, new Operation<>() {
            @Override
            public CompletableFuture<Void> local(ShareCoordinator here) {
                return here.delete(key);
            }

            @Override
            public AbstractRequest.Builder<?> request() {
                return new DeleteShareGroupStateRequest.Builder(ShareStateMessages.deleteRequest(key));
            }

            @Override
            public Void answer(AbstractResponse response) {
                var result = only(((DeleteShareGroupStateResponse) response).data().results(), r -> r.partitions());
                throwIfFailed(result.errorCode(), result.errorMessage());
                return null;
            }
        });
    }

    @Override
    public void close() {
        channels.close();
    }

    // ---------------------------------------------------------------- finding the coordinator, retrying

    private <T> CompletableFuture<T> call(SharePartitionKey key, Operation<T> operation) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        attempt(key, operation, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryTimeoutMs), 0, answer);
        return answer;
    }

    private <T> void attempt(SharePartitionKey key, Operation<T> operation, long deadline, int attempt,
            CompletableFuture<T> answer) {
        CompletableFuture<T> tried;
        try {
            tried = tryOnce(key, operation);
        } catch (RuntimeException e) {
            tried = CompletableFuture.failedFuture(e);
        }
        tried.whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            Errors error = CoordinatorException.errorOf(cause);
            long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt, 5));
            if (!isRetriable(error) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) - deadline > 0) {
                answer.completeExceptionally(cause instanceof CoordinatorException ? cause
                        : new CoordinatorException(error, "The share coordinator of " + key + " did not answer: " + cause));
                return;
            }
            if (!(cause instanceof CoordinatorException)) {
                log.debug("Share state call for {} failed, retrying: {}", key, cause.toString());
            }
            CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(key, operation, deadline, attempt + 1, answer));
        });
    }

    /** Once, with the coordinator the metadata names now: this broker's own, or another broker's over its channel. */
    private <T> CompletableFuture<T> tryOnce(SharePartitionKey key, Operation<T> operation) {
        coordinator.ensureTopic();
        if (!metadata.isReplicated()) {
            return operation.local(coordinator);
        }
        int leader = metadata.partition(ShareCoordinator.STATE_TOPIC, coordinator.partitionFor(key))
                .map(PartitionState::leader).orElse(-1);
        if (leader == nodeId) {
            return operation.local(coordinator);
        }
        List<BrokerEndpoint> live = metadata.liveBrokers(interBrokerListener);
        channels.retainOnly(live);
        BrokerEndpoint endpoint = live.stream().filter(broker -> broker.nodeId() == leader).findFirst().orElse(null);
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE,
                    "The partition of " + key + " has no live leader"));
        }
        return channels.send(endpoint, operation.request()).thenApply(operation::answer);
    }

    private static boolean isRetriable(Errors error) {
        return error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || error == Errors.COORDINATOR_NOT_AVAILABLE;
    }

    private static <R, P> P only(List<R> results, Function<R, List<P>> partitions) {
        if (results.size() != 1 || partitions.apply(results.get(0)).size() != 1) {
            throw new CoordinatorException(Errors.UNKNOWN_SERVER_ERROR, "The share coordinator answered for other partitions");
        }
        return partitions.apply(results.get(0)).get(0);
    }

    private static void throwIfFailed(short errorCode, String message) {
        Errors error = Errors.forCode(errorCode);
        if (error != Errors.NONE) {
            throw new CoordinatorException(error, message == null ? error.message() : message);
        }
    }

    /** A connection to a broker's inter-broker listener, with its TLS and SASL. */
    private BrokerChannels.Connection<AbstractRequest.Builder<?>, AbstractResponse> connect(BrokerEndpoint broker) {
        BrokerConnection connection = new BrokerConnection(broker.host(), broker.port(), "tributary-share-state-" + nodeId,
                requestTimeoutMs, security.get());
        return new BrokerChannels.Connection<>() {
            @Override
            public AbstractResponse send(AbstractRequest.Builder<?> request) {
                return connection.call(request.build());
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }
}
