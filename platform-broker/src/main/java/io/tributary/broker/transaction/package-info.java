/**
 * The transaction coordinator, as Kafka's transaction-coordinator module: transactional ids, their
 * producer ids and epochs, and the two-phase end of their transactions, kept in the compacted
 * {@code __transaction_state} topic on the {@link io.tributary.broker.coordinator coordinator runtime}.
 * {@code TransactionCoordinator} is what the API handlers call; {@code TransactionStateManager} holds the
 * partitions of {@code __transaction_state} and writes each step; {@code TransactionCompleter} runs the second
 * phase of an end (markers, then Complete); {@code TransactionTimers} abort timed-out transactions and expire
 * idle ids; {@code TransactionDescriber} answers describe and list. {@code TransactionState} is the state
 * machine, {@code TransactionSnapshot} one id's durable state and its steps, {@code TransactionRecords}
 * their encoding, and a {@code TransactionMarkerWriter} takes the commit and abort markers to the
 * partitions' leaders ({@code PartitionLeaderMarkerWriter}: locally, or with WriteTxnMarkers over {@code BrokerChannels}, one kept
 * connection per destination broker). What a
 * partition does with a marker (control batches, last stable offset, read_committed) is the
 * partition's and the log's business.
 */
package io.tributary.broker.transaction;
