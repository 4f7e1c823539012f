package io.tributary.client.outbox;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The SQL of the outbox, on PostgreSQL: the tables {@code tributary_outbox} and {@code tributary_outbox_lane}
 * that {@code db/tributary/R__tributary_outbox.sql} creates. Every statement runs on the caller's
 * transaction, if it has one on the same DataSource.
 */
final class OutboxTable {

    /** First half of the two-int advisory lock keys the outbox takes, so that they never meet the application's. */
    private static final int KEY_LOCK_SPACE = 0x54524942;

    private static final RowMapper<OutboxRow> ROW = (rs, rowNum) -> new OutboxRow(rs.getLong("id"),
            rs.getInt("lane"), rs.getString("event_id"), rs.getString("topic"), rs.getString("event_key"), rs.getString("event_type"),
            rs.getBytes("payload"), rs.getString("trace_parent"), rs.getString("trace_state"));

    private final JdbcTemplate jdbc;

    OutboxTable(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Holds, until the transaction ends, a lock on the key's hash: a concurrent transaction appending the same
     * key waits, and so takes its row id only after this one committed. Ids of one key then follow commit order,
     * which is the order the relay publishes in.
     */
    void lockKey(String key) {
        jdbc.query("SELECT pg_advisory_xact_lock(?, ?)", rs -> {
        }, KEY_LOCK_SPACE, OutboxLanes.hash(key));
    }

    void insert(String eventId, String topic, String key, String eventType, byte[] payload, int lane,
            OutboxTracing.TraceHeaders trace) {
        jdbc.update("INSERT INTO tributary_outbox (event_id, topic, event_key, event_type, payload, lane, trace_parent,"
                + " trace_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", UUID.fromString(eventId), topic, key, eventType,
                payload, lane, trace.traceparent(), trace.tracestate());
    }

    /** Locks, until the transaction ends, the lanes no other transaction holds, and names them. */
    List<Integer> lockFreeLanes() {
        return jdbc.queryForList("SELECT lane FROM tributary_outbox_lane ORDER BY lane FOR UPDATE SKIP LOCKED",
                Integer.class);
    }

    /** The oldest unsent rows of these lanes, oldest first. */
    List<OutboxRow> unsent(List<Integer> lanes, int limit) {
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, lane, event_id, topic, event_key, event_type, payload, trace_parent, trace_state"
                            + " FROM tributary_outbox"
                            + " WHERE sent_at IS NULL AND lane = ANY(?) ORDER BY id LIMIT ?");
            statement.setArray(1, connection.createArrayOf("int4", lanes.toArray()));
            statement.setInt(2, limit);
            return statement;
        }, ROW);
    }

    void markSent(List<OutboxRow> rows) {
        Long[] ids = rows.stream().map(OutboxRow::id).toArray(Long[]::new);
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "UPDATE tributary_outbox SET sent_at = now() WHERE id = ANY(?)");
            Array array = connection.createArrayOf("int8", ids);
            statement.setArray(1, array);
            return statement;
        });
    }

    /**
     * Deletes rows sent longer ago than {@code retention}, by the database's clock, in chunks so that no
     * statement holds many row locks for long; returns how many.
     */
    int deleteSentBefore(Duration retention, int chunkSize) {
        int deleted = 0;
        int chunk;
        do {
            chunk = jdbc.update("DELETE FROM tributary_outbox WHERE id IN (SELECT id FROM tributary_outbox"
                    + " WHERE sent_at < now() - make_interval(secs => ?) LIMIT ?)",
                    (double) retention.toMillis() / 1000, chunkSize);
            deleted += chunk;
        } while (chunk == chunkSize);
        return deleted;
    }
}
