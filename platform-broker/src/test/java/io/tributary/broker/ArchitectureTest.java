package io.tributary.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering of the broker: dependencies point down, and the log engine is plain Java. */
class ArchitectureTest {

    /** Imported once for all the rules: importing the broker's classes is most of this test's time. */
    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.broker");

    @Test
    void theLogEngineKnowsNothingOfSpringNettyOrTheLayersAboveIt() {
        noClasses().that().resideInAPackage("io.tributary.broker.log..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.netty..", "reactor..",
                        "io.tributary.broker.config..", "io.tributary.broker.network..", "io.tributary.broker.api..",
                        "io.tributary.broker.partition..", "io.tributary.broker.group..", "io.tributary.broker.metadata..",
                        "io.tributary.broker.admin..")
                .check(classes);
    }

    @Test
    void theLogEngineUsesOnlyTheRecordFormatOfKafkaClientsNotItsNetworkClient() {
        noClasses().that().resideInAPackage("io.tributary.broker.log..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka.clients..", "org.apache.kafka.common.requests..", "org.apache.kafka.common.network..")
                .check(classes);
    }

    @Test
    void theCoordinatorRuntimeKnowsNothingOfWhatRunsOnIt() {
        noClasses().that().resideInAPackage("io.tributary.broker.coordinator..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.tributary.broker.group..", "io.tributary.broker.api..", "io.tributary.broker.network..",
                        "io.tributary.broker.admin..", "io.tributary.broker.config..", "org.springframework..")
                .because("the group coordinator runs on it, and the transaction coordinator is to run on it too")
                .check(classes);
    }

    @Test
    void theConsoleAndTheAdminApiActOnlyThroughTheAdminServices() {
        noClasses().that().resideInAnyPackage("io.tributary.broker.admin.console..", "io.tributary.broker.admin.rest..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.tributary.broker.log.PartitionLog")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.tributary.broker.partition..",
                        "io.tributary.broker.network..", "io.tributary.broker.api..", "io.tributary.broker.cluster..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.tributary.broker.group.GroupCoordinator")
                .because("one set of services answers both, so the console has no second path to the logs")
                .check(classes);
    }

    @Test
    void theAuthorizerAndTheCredentialCacheStandOnTheMetadataAlone() {
        noClasses().that().resideInAnyPackage("io.tributary.broker.security.acl..", "io.tributary.broker.security.scram..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.tributary.broker.config..", "io.tributary.broker.network..",
                        "io.tributary.broker.api..", "io.tributary.broker.cluster..", "io.tributary.broker.partition..",
                        "io.tributary.broker.group..", "io.tributary.broker.admin..")
                .because("they read and change ACLs and credentials through ClusterMetadata, single node or replicated alike")
                .check(classes);
    }
}
