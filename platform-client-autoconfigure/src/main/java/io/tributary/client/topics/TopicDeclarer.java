package io.tributary.client.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes the cluster match the service's topic declarations at start-up: creates what is missing and
 * checks what exists. It never changes an existing topic: a topic with fewer partitions or another
 * cleanup policy than declared is reported, and start-up fails unless told to only log it.
 */
public class TopicDeclarer {

    private static final Log log = LogFactory.getLog(TopicDeclarer.class);

    private final Admin admin;
    private final Duration timeout;
    private final boolean failOnMismatch;

    public TopicDeclarer(Admin admin, Duration timeout, boolean failOnMismatch) {
        this.admin = admin;
        this.timeout = timeout;
        this.failOnMismatch = failOnMismatch;
    }

    public void declare(Collection<TopicDeclaration> declarations) {
        if (declarations.isEmpty()) {
            return;
        }
        Map<String, TopicDeclaration> byName = declarations.stream()
                .collect(Collectors.toMap(TopicDeclaration::name, d -> d, (a, b) -> a, java.util.LinkedHashMap::new));
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(byName.keySet()).topicNameValues();
        List<NewTopic> missing = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (TopicDeclaration declaration : byName.values()) {
            Optional<TopicDescription> existing = await(described.get(declaration.name()));
            if (existing.isEmpty()) {
                missing.add(newTopic(declaration));
            } else {
                mismatches.addAll(compare(declaration, existing.get()));
            }
        }
        create(missing);
        if (!mismatches.isEmpty()) {
            if (failOnMismatch) {
                throw new TopicDeclarationMismatchException(mismatches);
            }
            mismatches.forEach(m -> log.warn("Declared topic differs from the cluster: " + m));
        }
    }

    private static NewTopic newTopic(TopicDeclaration declaration) {
        Optional<Short> replication = declaration.replicationFactor() < 0 ? Optional.empty()
                : Optional.of(declaration.replicationFactor());
        return new NewTopic(declaration.name(), Optional.of(declaration.partitions()), replication)
                .configs(declaration.configs());
    }

    private void create(List<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        for (NewTopic topic : topics) {
            try {
                results.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created topic " + topic.name() + " (" + topic.numPartitions() + " partitions, configs " + topic.configs() + ")");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was faster: fine
                    throw new IllegalStateException("Cannot create topic '" + topic.name() + "': " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("The cluster did not create topic '" + topic.name() + "' within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic '" + topic.name() + "'", e);
            }
        }
    }

    private List<String> compare(TopicDeclaration declaration, TopicDescription existing) {
        List<String> mismatches = new ArrayList<>();
        int partitions = existing.partitions().size();
        if (partitions < declaration.partitions()) {
            mismatches.add(declaration.name() + ": declared " + declaration.partitions() + " partitions, the topic has "
                    + partitions);
        }
        if (declaration.replicationFactor() > 0) {
            int replicas = existing.partitions().get(0).replicas().size();
            if (replicas != declaration.replicationFactor()) {
                mismatches.add(declaration.name() + ": declared replication factor " + declaration.replicationFactor()
                        + ", the topic has " + replicas);
            }
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, declaration.name());
        Config config = await(admin.describeConfigs(List.of(resource)).values().get(resource))
                .orElseThrow(() -> new IllegalStateException("Topic '" + declaration.name() + "' vanished while it was checked"));
        declaration.configs().forEach((name, expected) -> {
            ConfigEntry entry = config.get(name);
            String actual = entry == null ? null : entry.value();
            if (!expected.equals(actual)) {
                mismatches.add(declaration.name() + ": declared " + name + "=" + expected + ", the topic has " + actual);
            }
        });
        return mismatches;
    }

    /** The future's value, or empty when the topic does not exist. */
    private <T> Optional<T> await(KafkaFuture<T> future) {
        try {
            return Optional.of(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("Cannot describe declared topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The cluster did not answer within " + timeout
                    + " while declared topics were checked; are the bootstrap servers (spring.kafka.bootstrap-servers or tributary.bootstrap-servers) right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking declared topics", e);
        }
    }
}
