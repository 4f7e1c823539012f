package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's cluster id is settled once and kept in its Raft directory: derived from the voters for a new
 * cluster, the configured one for a node joining after the voters changed, the Raft group's for a node
 * started before the file existed; afterwards the voters may change without changing it.
 */
class MetaPropertiesTest {

    @TempDir
    Path dir;

    private static ClusterProperties voters(String voters) {
        ClusterProperties properties = new ClusterProperties();
        properties.setVoters(voters);
        return properties;
    }

    @Test
    void aNewNodeDerivesTheIdFromTheVotersAndKeepsItWhenTheyChange() {
        ClusterProperties initial = voters("0@h:1,1@h:2,2@h:3");
        MetaProperties first = MetaProperties.loadOrCreate(initial, 1, dir);
        assertThat(first.clusterUuid()).isEqualTo(initial.clusterUuid());
        assertThat(first.nodeId()).isEqualTo(1);
        assertThat(first.directoryId()).isNotEqualTo(Uuid.ZERO_UUID);

        MetaProperties later = MetaProperties.loadOrCreate(voters("0@h:1,1@h:2,3@h:4"), 1, dir);
        assertThat(later).isEqualTo(first);
    }

    @Test
    void aNodeJoiningAfterTheVotersChangedTakesTheConfiguredId() {
        Uuid cluster = Uuid.randomUuid();
        ClusterProperties properties = voters("0@h:1,1@h:2,3@h:4");
        properties.setClusterId(cluster.toString());
        assertThat(MetaProperties.loadOrCreate(properties, 4, dir).clusterId()).isEqualTo(cluster);
    }

    @Test
    void aRaftDirectoryFromBeforeTheFileKeepsItsGroupsId() throws Exception {
        Uuid group = Uuid.randomUuid();
        Files.createDirectories(dir.resolve(new MetaProperties(group, 0, Uuid.ONE_UUID).clusterUuid().toString()));
        MetaProperties meta = MetaProperties.loadOrCreate(voters("0@other:1"), 0, dir);
        assertThat(meta.clusterId()).isEqualTo(group);
        assertThat(dir.resolve("meta.properties")).exists();
    }

    @Test
    void anotherClusterOrAnotherNodesDirectoryIsRefused() {
        MetaProperties.loadOrCreate(voters("0@h:1"), 0, dir);
        ClusterProperties other = voters("0@h:1");
        other.setClusterId(Uuid.randomUuid().toString());
        assertThatThrownBy(() -> MetaProperties.loadOrCreate(other, 0, dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tributary.cluster.cluster-id");
        assertThatThrownBy(() -> MetaProperties.loadOrCreate(voters("0@h:1"), 5, dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to node 0");
        ClusterProperties malformed = voters("0@h:1");
        malformed.setClusterId("not-a-cluster-id");
        assertThatThrownBy(() -> MetaProperties.loadOrCreate(malformed, 0, dir.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("22 characters");
    }
}
