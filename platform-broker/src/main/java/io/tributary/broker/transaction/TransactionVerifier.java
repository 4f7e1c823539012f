package io.tributary.broker.transaction;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import io.tributary.broker.cluster.BrokerConnection;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of KIP-890 part 1, as a partition leader does before appending the first batch of a
 * producer's transaction: asks the transaction coordinator whether the partitions are in the
 * producer's ongoing transaction (AddPartitionsToTxn verify-only), so that a batch of a transaction
 * that was aborted, timed out or never added the partition cannot open a transaction nobody will end.
 * Here directly when this broker coordinates the id, else over the inter-broker listener.
 *
 * <p>Thread-safe; calls to other brokers run on its own small pool.
 */
public final class TransactionVerifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionVerifier.class);

    private final TransactionCoordinator coordinator;
    private final ClusterMetadata metadata;
    private final int nodeId;
    private final String interBrokerListener;
    private final Supplier<InterBrokerClient> security;
    private final int requestTimeoutMs;
    private final ExecutorService remoteCalls = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "tributary-txn-verification");
        thread.setDaemon(true);
        return thread;
    });

    public TransactionVerifier(TransactionCoordinator coordinator, ClusterMetadata metadata, int nodeId,
            String interBrokerListener, Supplier<InterBrokerClient> security, int requestTimeoutMs) {
        this.coordinator = coordinator;
        this.metadata = metadata;
        this.nodeId = nodeId;
        this.interBrokerListener = interBrokerListener;
        this.security = security;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * The coordinator's answer per partition: NONE for one in the ongoing transaction,
     * TRANSACTION_ABORTABLE for one that is not, PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING, or a
     * coordinator error (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, …) when it could not be asked.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId, short epoch,
            Collection<TopicPartition> partitions) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(all(partitions, Errors.INVALID_TXN_STATE));
        }
        Errors here = coordinator.coordinatorError(transactionalId);
        if (here == Errors.NONE) {
            return CompletableFuture.completedFuture(coordinator.verifyPartitions(transactionalId, producerId, epoch,
                    partitions));
        }
        if (here != Errors.NOT_COORDINATOR) {
            return CompletableFuture.completedFuture(all(partitions, here));
        }
        int leader = metadata.partition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, coordinator.partitionFor(transactionalId))
                .map(PartitionState::leader).orElse(-1);
        BrokerEndpoint endpoint = metadata.liveBrokers(interBrokerListener).stream().filter(b -> b.nodeId() == leader)
                .findFirst().orElse(null);
        if (endpoint == null || leader == nodeId) {
            return CompletableFuture.completedFuture(all(partitions, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return CompletableFuture.supplyAsync(() -> ask(endpoint, transactionalId, producerId, epoch, partitions), remoteCalls);
    }

    private Map<TopicPartition, Errors> ask(BrokerEndpoint endpoint, String transactionalId, long producerId, short epoch,
            Collection<TopicPartition> partitions) {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        Map<String, AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic> byName = new HashMap<>();
        for (TopicPartition tp : partitions) {
            byName.computeIfAbsent(tp.topic(), name -> {
                AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic =
                        new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(name);
                topics.add(topic);
                return topic;
            }).partitions().add(tp.partition());
        }
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(epoch).setVerifyOnly(true).setTopics(topics));
        try (BrokerConnection connection = new BrokerConnection(endpoint.host(), endpoint.port(),
                "tributary-txn-verification-" + nodeId, requestTimeoutMs, security.get())) {
            AddPartitionsToTxnResponse response = connection.call(AddPartitionsToTxnRequest.Builder.forBroker(transactions)
                    .build((short) 5));
            Errors top = Errors.forCode(response.data().errorCode());
            if (top != Errors.NONE) {
                return all(partitions, top);
            }
            Map<TopicPartition, Errors> errors = new HashMap<>(all(partitions, Errors.UNKNOWN_SERVER_ERROR));
            errors.putAll(response.errors().getOrDefault(transactionalId, Map.of()));
            return errors;
        } catch (RuntimeException e) {
            log.debug("Verifying {} with broker {} failed: {}", transactionalId, endpoint.nodeId(), e.toString());
            return all(partitions, Errors.COORDINATOR_NOT_AVAILABLE);
        }
    }

    private static Map<TopicPartition, Errors> all(Collection<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }

    @Override
    public void close() {
        remoteCalls.shutdownNow();
    }
}
