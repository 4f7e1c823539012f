package io.tributary.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;

/**
 * The secured demo's ACLs against the services' own configuration: the end-to-end test shows they are enough, this
 * shows they follow what each service declares, so that a topic added to a service's {@code application.yml} and not
 * to {@link DemoSecurity#SERVICES} fails here rather than as a refused start in the end-to-end test.
 */
class DemoSecurityTest {

    private final Path root = Path.of(System.getProperty("tributary.demo.root", "..")).toAbsolutePath().normalize();

    @Test
    void eachServiceDeclaresTheTopicsItsAclsNameAndConsumesInTheGroupItMayRead() {
        DemoSecurity.SERVICES.forEach((service, access) -> {
            Properties yml = applicationYml(service);
            Set<String> declared = new TreeSet<>();
            // keySet, not stringPropertyNames: YAML's numbers and booleans stay what they are, and those names hide them.
            yml.keySet().stream().map(String::valueOf).filter(key -> key.startsWith("tributary.topics."))
                    .map(key -> key.substring("tributary.topics.".length(), key.indexOf('.', "tributary.topics.".length())))
                    .forEach(declared::add);
            assertThat(new TreeSet<>(access.declares())).as("topics %s declares", service).isEqualTo(declared);
            assertThat(access.declares()).as("%s publishes and consumes only declared topics", service)
                    .containsAll(access.publishes()).containsAll(access.consumes());
            assertThat(yml.getProperty("spring.application.name")).as("%s's group", service).isEqualTo(service);
            assertThat(access.publishes().isEmpty()).as("%s publishes nothing exactly when its outbox is off", service)
                    .isEqualTo(Boolean.FALSE.equals(yml.get("tributary.outbox.enabled")));
        });
    }

    @Test
    void noServiceMayWriteAnotherServicesTopicOrTouchTheCluster() {
        for (AclBinding acl : DemoSecurity.acls()) {
            assertThat(acl.pattern().patternType()).isEqualTo(PatternType.LITERAL);
            assertThat(acl.pattern().resourceType()).isIn(ResourceType.TOPIC, ResourceType.GROUP);
            String service = acl.entry().principal().substring("User:".length());
            if (acl.pattern().resourceType() == ResourceType.GROUP) {
                assertThat(acl.pattern().name()).isEqualTo(service);
            }
            if (acl.entry().operation() == AclOperation.WRITE && !acl.pattern().name().endsWith(".DLT")) {
                assertThat(DemoSecurity.SERVICES.get(service).publishes()).contains(acl.pattern().name());
            }
        }
    }

    private Properties applicationYml(String service) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource(
                root.resolve("sample-" + service + "-service/src/main/resources/application.yml")));
        return yaml.getObject();
    }
}
