package io.tributary.broker.security.acl.bench;

import static io.tributary.broker.security.acl.Requests.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.security.acl.AclAuthorizer;
import io.tributary.broker.security.acl.Requests;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One authorize() of one action, as every request makes, among 10,000 ACLs of 1,000 tenants: per
 * tenant a literal topic ACL, a prefixed consumer group ACL and eight prefixed topic ACLs of
 * various lengths ({@code tenant-42.}, {@code tenant-42.orders.}, ...), with a DENY now and then.
 * The action is a WRITE to a topic that a literal ACL, several prefixed ACLs, or none match.
 *
 * <p>The audit logger is off, so that the figures are the decision alone: a logged denial adds the
 * cost of writing its line, as in Kafka.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class AuthorizeBenchmark {

    static final int TENANTS = 1_000;
    private static final String[] AREAS = {"orders", "payments", "billing", "audit", "shipping", "stock", "users"};

    /** literal: a literal ACL names the topic; prefixed: only prefixed ACLs match; none: no ACL matches. */
    @Param({"literal", "prefixed", "none"})
    public String match;

    private Path dir;
    private AclAuthorizer authorizer;
    private AuthorizableRequestContext context;
    private List<Action> actions;

    @Setup(Level.Trial)
    public void createAcls() throws IOException {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
        context.getLogger(AclAuthorizer.AUDIT_LOGGER).setLevel(ch.qos.logback.classic.Level.OFF);
        dir = Files.createTempDirectory("authorize-bench");
        TopicStore topics = TopicStore.open(dir);
        SingleNodeMetadata metadata = new SingleNodeMetadata(topics, SecurityStore.open(dir),
                new LocalBroker(0, "localhost", 0, topics.clusterId()));
        Random random = new Random(42);
        List<AclBinding> acls = new ArrayList<>();
        for (int tenant = 0; tenant < TENANTS; tenant++) {
            String user = "User:service-" + tenant;
            String prefix = "tenant-" + tenant + ".";
            acls.add(acl(ResourceType.TOPIC, prefix + "config", PatternType.LITERAL, user, "*", AclOperation.WRITE,
                    AclPermissionType.ALLOW));
            acls.add(acl(ResourceType.GROUP, prefix, PatternType.PREFIXED, user, "*", AclOperation.READ,
                    AclPermissionType.ALLOW));
            acls.add(acl(ResourceType.TOPIC, prefix, PatternType.PREFIXED, user, "*", AclOperation.READ,
                    AclPermissionType.ALLOW));
            for (String area : AREAS) {
                boolean deny = random.nextInt(20) == 0;
                acls.add(acl(ResourceType.TOPIC, prefix + area + ".", PatternType.PREFIXED, deny ? "User:*" : user,
                        deny ? "10.9.9.9" : "*", AclOperation.WRITE, deny ? AclPermissionType.DENY : AclPermissionType.ALLOW));
            }
        }
        metadata.createAcls(acls);
        authorizer = new AclAuthorizer(metadata, List.of("User:admin"), false);
        if (authorizer.aclCount() != 10 * TENANTS) {
            throw new IllegalStateException("Expected 10,000 ACLs, got " + authorizer.aclCount());
        }
        this.context = Requests.from("User:service-421", "10.0.0.1");
        String topic = switch (match) {
            case "literal" -> "tenant-421.config";
            case "prefixed" -> "tenant-421.payments.captured";
            default -> "unknown.payments.captured";
        };
        actions = List.of(Requests.action(AclOperation.WRITE, ResourceType.TOPIC, topic));
        AuthorizationResult expected = match.equals("none") ? AuthorizationResult.DENIED : AuthorizationResult.ALLOWED;
        if (authorizer.authorize(this.context, actions).get(0) != expected) {
            throw new IllegalStateException("The " + match + " case is not " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void removeDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public List<AuthorizationResult> authorize() {
        return authorizer.authorize(context, actions);
    }
}
