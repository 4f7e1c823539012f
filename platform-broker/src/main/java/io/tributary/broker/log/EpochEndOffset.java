package io.tributary.broker.log;

/**
 * Where a leader epoch ended in a log: the largest epoch at most the one asked about, and the
 * first offset after it; both -1 when unknown.
 */
public record EpochEndOffset(int epoch, long endOffset) {

    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);
}
