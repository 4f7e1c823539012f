package io.tributary.broker.config;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import io.tributary.broker.TributaryBrokerApplication;
import io.tributary.broker.cluster.ClusterNode;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.LogDirFailureShutdown;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogDirFailureListener;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the storage side: the topic store in the data directory, the topic configs with the
 * broker's defaults, one {@link LogManager} whose logs take each topic's configs, and what the broker
 * does when that data directory fails ({@code tributary.broker.log-dir-failure}).
 */
@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LogConfiguration.class);

    @Bean
    TopicStore topicStore(BrokerProperties properties) throws IOException {
        return TopicStore.open(properties.getDataDir());
    }

    @Bean
    TopicConfigs topicConfigs(BrokerProperties properties) {
        return new TopicConfigs(properties.getLog().toLogConfig(), properties.getMinInsyncReplicas());
    }

    /**
     * @param channels how segment files are opened: {@link FileChannelFactory#DEFAULT} unless the application
     *                 context has another (the fault injection suite puts a failing disk under a broker this way)
     */
    @Bean(initMethod = "startup", destroyMethod = "close")
    LogManager logManager(BrokerProperties properties, TopicStore topics, TopicConfigs configs,
            ObjectProvider<FileChannelFactory> channels) {
        return new LogManager(properties.getDataDir(),
                topic -> configs.toLogConfig(topics.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                Clock.systemUTC(), channels.getIfAvailable(() -> FileChannelFactory.DEFAULT),
                properties.getLog().toSchedule());
    }

    /**
     * Told when the data directory fails: stops the broker ({@link LogDirFailureShutdown}) or leaves the
     * failed partitions offline, as {@code tributary.broker.log-dir-failure} resolves here.
     */
    @Bean
    LogDirFailureListener logDirFailureListener(BrokerProperties properties, ClusterProperties cluster, LogManager logs,
            ObjectProvider<ClusterNode> clusterNode, Environment environment) {
        boolean inCluster = !cluster.getVoters().isBlank();
        boolean ownProcess = environment.getProperty(TributaryBrokerApplication.OWN_PROCESS_PROPERTY, Boolean.class, false);
        LogDirFailureListener listener;
        if (properties.getLogDirFailure().shutsDown(inCluster, ownProcess)) {
            // The cluster node is looked up only when the disk fails, so that this bean does not change the start order.
            listener = new LogDirFailureShutdown(properties.getNodeId(),
                    () -> clusterNode.ifAvailable(ClusterNode::controlledShutdown),
                    Runtime.getRuntime()::halt, LogDirFailureShutdown.ownThread());
        } else {
            listener = (dataDir, failure) -> log.error("Data directory {} failed ({}); tributary.broker.log-dir-failure "
                    + "resolves to offline: the broker keeps serving the partitions it can until it is restarted",
                    dataDir, failure.getMessage());
        }
        logs.logDirFailureListener(listener);
        return listener;
    }
}
