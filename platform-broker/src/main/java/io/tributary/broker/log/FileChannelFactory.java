package io.tributary.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the channels of segment files. The log engine goes through this seam rather than calling
 * {@link FileChannel#open} itself so that tests can put real disk faults (a full disk, an I/O
 * error) under it.
 */
@FunctionalInterface
public interface FileChannelFactory {

    FileChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
