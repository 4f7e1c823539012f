package io.tributary.broker.admin;

import java.util.concurrent.ScheduledExecutorService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.beans.factory.ObjectProvider;
import io.tributary.broker.security.acl.AclAuthorizer;
import io.tributary.broker.api.ApiRouter;
import io.tributary.broker.cluster.balancer.SelfBalancer;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.api.FetchHandler;
import io.tributary.broker.api.ProduceHandler;
import io.tributary.broker.config.BrokerConfiguration.KafkaListener;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.protocol.ApiKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicators, info and metrics of the broker. The {@link BrokerMetrics} bean is the
 * {@link io.tributary.broker.network.RequestObserver} the Kafka listener is built with, and is
 * hooked into the Produce and Fetch handlers and the log manager when it is created, before the
 * listener accepts connections.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    @Bean
    BrokerMetrics brokerMetrics(MeterRegistry registry, ApiRouter router, LogManager logs) {
        BrokerMetrics metrics = new BrokerMetrics(registry);
        router.handler(ApiKeys.PRODUCE).ifPresent(handler -> {
            if (handler instanceof ProduceHandler produce) {
                produce.observeTraffic(metrics);
            }
        });
        router.handler(ApiKeys.FETCH).ifPresent(handler -> {
            if (handler instanceof FetchHandler fetch) {
                fetch.observeTraffic(metrics);
            }
        });
        logs.flushListener(metrics);
        return metrics;
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    PartitionMetrics partitionMetrics(MeterRegistry registry, KafkaListener listener, PartitionManager partitions,
            LogManager logs, ConsumerLag consumerLag, BrokerMetrics brokerMetrics, ScheduledExecutorService brokerScheduler,
            BrokerMetricsProperties properties) {
        return new PartitionMetrics(registry, listener, partitions, logs, consumerLag, brokerMetrics, brokerScheduler,
                Math.max(1, properties.getRefreshInterval().toMillis()));
    }

    @Bean
    LogDirectoryHealthIndicator logDirectoryHealthIndicator(BrokerProperties properties, BrokerHealthProperties health) {
        return new LogDirectoryHealthIndicator(properties.getDataDir(), health.getMinFreeSpace());
    }

    @Bean
    PartitionsHealthIndicator partitionsHealthIndicator(LogManager logs, PartitionManager partitions) {
        return new PartitionsHealthIndicator(logs, partitions);
    }

    @Bean
    KafkaListenerHealthIndicator kafkaListenerHealthIndicator(KafkaListener listener, LocalBroker broker) {
        return new KafkaListenerHealthIndicator(listener, broker);
    }

    /** Fetch sessions open and those dropped for room, as Kafka's NumIncrementalFetchSessions and its evictions. */
    @Bean
    MeterBinder fetchSessionMetrics(FetchSessionCache sessions) {
        return registry -> {
            Gauge.builder("tributary.fetch.sessions", sessions, FetchSessionCache::size)
                    .description("Fetch sessions (KIP-227) open on this broker").register(registry);
            FunctionCounter.builder("tributary.fetch.session.evictions", sessions, FetchSessionCache::evictions)
                    .description("Fetch sessions dropped to make room for others").register(registry);
        };
    }

    /** Requests the ACLs refused, as Kafka counts authorization failures, and the ACLs held; with an authorizer only. */
    @Bean
    MeterBinder authorizerMetrics(ObjectProvider<Authorizer> authorizer) {
        return registry -> {
            if (authorizer.getIfAvailable() instanceof AclAuthorizer acls) {
                FunctionCounter.builder("tributary.authorizer.denied", acls, AclAuthorizer::deniedCount)
                        .description("Actions the ACLs refused that a request asked for (not those only filtered out)")
                        .register(registry);
                Gauge.builder("tributary.authorizer.acls", acls, AclAuthorizer::aclCount)
                        .description("ACLs in the cluster metadata").register(registry);
            }
        };
    }

    /**
     * The self-balancer's figures, in a cluster only: moves under way in the cluster, the moves this broker's
     * balancer started (while it was the controller), and the spreads of replicas and of preferred leaders
     * over the live brokers, read from this broker's metadata at each scrape.
     */
    @Bean
    MeterBinder balancerMetrics(ObjectProvider<SelfBalancer> balancer) {
        return registry -> {
            SelfBalancer self = balancer.getIfAvailable();
            if (self == null) {
                return;
            }
            Gauge.builder("tributary.balancer.moves.in.flight", self, SelfBalancer::movesInFlight)
                    .description("Partitions moving in the cluster (reassignments, the balancer's and others')").register(registry);
            FunctionCounter.builder("tributary.balancer.moves.started", self, SelfBalancer::movesStarted)
                    .description("Replica moves the self-balancer started on this broker, as the controller").register(registry);
            Gauge.builder("tributary.balancer.replica.spread", self, SelfBalancer::replicaSpread)
                    .description("Most replicas on a live broker minus fewest").register(registry);
            Gauge.builder("tributary.balancer.leader.spread", self, SelfBalancer::leaderSpread)
                    .description("Most preferred leaderships of a live broker minus fewest").register(registry);
            Gauge.builder("tributary.balancer.disk.spread", self, SelfBalancer::diskSpread)
                    .description("Most partition bytes on a live broker minus fewest, as a fraction of the average,"
                            + " at the controller's last round (0 on other brokers)").register(registry);
        };
    }

    @Bean
    BrokerInfoContributor brokerInfoContributor(LocalBroker broker) {
        return new BrokerInfoContributor(broker);
    }
}
