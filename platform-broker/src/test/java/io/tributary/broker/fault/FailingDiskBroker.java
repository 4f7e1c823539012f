package io.tributary.broker.fault;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.TributaryBrokerApplication;
import io.tributary.broker.log.FailingWritesChannel;
import io.tributary.broker.log.FileChannelFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The broker's {@code main}, on a data directory whose disk fails every write and flush with EIO while the file
 * named by the system property {@value #SWITCH_PROPERTY} exists: the suite's {@code DISK_ERROR}. This kernel has
 * no device-mapper ({@code dm-error}, {@code dm-flakey}) to make a real device fail, so the failure is put under
 * the log engine through its {@link FileChannelFactory} seam, in the broker's own process, which then handles it
 * exactly as it handles a real I/O error. The Raft log of the metadata quorum is written by Ratis, outside that
 * seam, and keeps working.
 */
public final class FailingDiskBroker {

    /** The path of the file whose existence breaks the disk. */
    public static final String SWITCH_PROPERTY = "tributary.fault.disk-error-switch";

    private FailingDiskBroker() {
    }

    public static void main(String[] args) {
        Path toggle = Path.of(System.getProperty(SWITCH_PROPERTY));
        FailingSwitch failing = new FailingSwitch(toggle);
        FileChannelFactory disk = (path, options) -> new FailingWritesChannel(FileChannel.open(path, options),
                failing::on, FailingWritesChannel.EIO);
        new SpringApplicationBuilder(TributaryBrokerApplication.class).bannerMode(Banner.Mode.OFF)
                .properties(TributaryBrokerApplication.OWN_PROCESS_PROPERTY + "=true")
                .initializers(context -> ((GenericApplicationContext) context).registerBean(FileChannelFactory.class,
                        () -> disk))
                .run(args);
    }

    /** Looks for the file every 50 ms rather than on every write. */
    private static final class FailingSwitch {
        private volatile boolean on;

        FailingSwitch(Path toggle) {
            ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "failing-disk-switch");
                thread.setDaemon(true);
                return thread;
            });
            on = Files.exists(toggle);
            watcher.scheduleWithFixedDelay(() -> on = Files.exists(toggle), 50, 50, TimeUnit.MILLISECONDS);
        }

        boolean on() {
            return on;
        }
    }
}
