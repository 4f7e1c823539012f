package io.tributary.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.config.BrokerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real broker, the Spring Boot application itself, started in this JVM on a free Kafka port with
 * the given data directory; it can be stopped and started again on the same directory.
 */
public final class RunningBroker implements AutoCloseable {

    private final Path dataDir;
    private final List<String> extraArgs;
    private ConfigurableApplicationContext context;
    private int port;

    private RunningBroker(Path dataDir, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.extraArgs = extraArgs;
    }

    /** Starts a broker; {@code args} are extra {@code --key=value} settings. */
    public static RunningBroker start(Path dataDir, String... args) {
        RunningBroker broker = new RunningBroker(dataDir, List.of(args));
        broker.start();
        return broker;
    }

    public synchronized void start() {
        List<String> args = new ArrayList<>();
        args.add("--tributary.broker.data-dir=" + dataDir);
        args.add("--tributary.broker.port=" + port); // 0 the first time, then the same port again
        args.add("--tributary.broker.host=127.0.0.1");
        args.add("--spring.main.banner-mode=off");
        args.addAll(extraArgs);
        context = new SpringApplicationBuilder(TributaryBrokerApplication.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
        port = context.getBean(BrokerConfiguration.KafkaListener.class).port();
    }

    /** A clean stop: the listener closes, logs are flushed and checkpointed. */
    public synchronized void stop() {
        if (context != null) {
            SpringApplication.exit(context);
            context = null;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        stop();
    }
}
