package io.tributary.broker.log;

/**
 * What one cleaning of a partition log did.
 *
 * @param firstDirtyOffset the cleaner checkpoint the cleaning started from
 * @param cleanedUpTo      the new checkpoint: every offset below it is now cleaned
 * @param segmentsRead     the segments rewritten
 * @param segmentsWritten  the cleaned segments that replaced them (several small ones may become one)
 * @param bytesRead        their bytes before
 * @param bytesWritten     and after
 * @param recordsRead      the records read from them
 * @param recordsRetained  the records kept
 */
public record CleaningResult(long firstDirtyOffset, long cleanedUpTo, int segmentsRead, int segmentsWritten,
        long bytesRead, long bytesWritten, long recordsRead, long recordsRetained) {
}
