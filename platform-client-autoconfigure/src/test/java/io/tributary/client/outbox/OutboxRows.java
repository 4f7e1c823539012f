package io.tributary.client.outbox;

import org.springframework.jdbc.core.JdbcTemplate;

/** What the tests ask of the outbox table. */
final class OutboxRows {

    private final JdbcTemplate jdbc;

    OutboxRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    int all(String topic) {
        return jdbc.queryForObject("SELECT count(*) FROM tributary_outbox WHERE topic = ?", Integer.class, topic);
    }

    int unsent(String topic) {
        return jdbc.queryForObject("SELECT count(*) FROM tributary_outbox WHERE topic = ? AND sent_at IS NULL",
                Integer.class, topic);
    }
}
