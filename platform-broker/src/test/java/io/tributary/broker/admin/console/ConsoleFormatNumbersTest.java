package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Indenting a record's JSON must not change what it says: amounts keep their scale, big numbers their digits. */
class ConsoleFormatNumbersTest {

    private final ConsoleFormat format = new ConsoleFormat();

    @Test
    void keepsNumbersAsWritten() {
        String pretty = format.pretty("{\"total\":42.00,\"id\":12345678901234567890123,\"rate\":0.1}");
        assertThat(pretty).contains("\"total\" : 42.00", "\"id\" : 12345678901234567890123", "\"rate\" : 0.1");
    }
}
