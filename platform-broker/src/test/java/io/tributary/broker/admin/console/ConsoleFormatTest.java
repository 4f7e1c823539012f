package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleFormatTest {

    private final ConsoleFormat format = new ConsoleFormat();

    @Test
    void bytesInBinaryUnits() {
        assertThat(format.bytes(-1)).isEqualTo("—");
        assertThat(format.bytes(0)).isEqualTo("0 B");
        assertThat(format.bytes(1023)).isEqualTo("1023 B");
        assertThat(format.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(format.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(format.bytes(1024L * 1024)).isEqualTo("1.0 MiB");
        assertThat(format.bytes(3L * 1024 * 1024 * 1024 + 512L * 1024 * 1024)).isEqualTo("3.5 GiB");
        assertThat(format.bytes(5L * 1024 * 1024 * 1024 * 1024)).isEqualTo("5.0 TiB");
        assertThat(format.bytes(2048L * 1024 * 1024 * 1024 * 1024)).isEqualTo("2048.0 TiB");
    }

    @Test
    void ratesPerSecond() {
        assertThat(format.bytesRate(0)).isEqualTo("0 B/s");
        assertThat(format.bytesRate(1536.4)).isEqualTo("1.5 KiB/s");
        assertThat(format.bytesRate(99.6)).isEqualTo("100 B/s");
        assertThat(format.rate(0)).isEqualTo("0/s");
        assertThat(format.rate(0.25)).isEqualTo("0.3/s");
        assertThat(format.rate(12.34)).isEqualTo("12.3/s");
        assertThat(format.rate(100)).isEqualTo("100/s");
        assertThat(format.rate(1234.5)).isEqualTo("1,235/s");
    }

    @Test
    void percentAndTime() {
        assertThat(format.percent(0)).isEqualTo("0%");
        assertThat(format.percent(0.694)).isEqualTo("69%");
        assertThat(format.percent(1)).isEqualTo("100%");
        assertThat(format.time(-1)).isEqualTo("—");
        assertThat(format.time(0)).isEqualTo("1970-01-01 00:00:00.000Z");
        assertThat(format.time(1_764_670_500_123L)).isEqualTo("2025-12-02 10:15:00.123Z");
    }

    @Test
    void durationsInTheLargestSensibleUnit() {
        assertThat(format.duration(-1)).isEmpty();
        assertThat(format.duration(0)).isEqualTo("0 ms");
        assertThat(format.duration(850)).isEqualTo("850 ms");
        assertThat(format.duration(999)).isEqualTo("999 ms");
        assertThat(format.duration(1_000)).isEqualTo("1.0 s");
        assertThat(format.duration(2_400)).isEqualTo("2.4 s");
        assertThat(format.duration(60_000)).isEqualTo("1 min 0 s");
        assertThat(format.duration(185_000)).isEqualTo("3 min 5 s");
        assertThat(format.duration(3_599_999)).isEqualTo("59 min 59 s");
        assertThat(format.duration(3_600_000)).isEqualTo("1 h 0 min");
        assertThat(format.duration(7_500_000)).isEqualTo("2 h 5 min");
        assertThat(format.duration(50L * 3_600_000)).isEqualTo("50 h 0 min");
    }

    @Test
    void jsonIsIndented() {
        assertThat(format.pretty("{\"id\":1,\"items\":[\"a\",\"b\"],\"nested\":{\"ok\":true}}")).isEqualTo("""
                {
                  "id" : 1,
                  "items" : [ "a", "b" ],
                  "nested" : {
                    "ok" : true
                  }
                }""");
        assertThat(format.pretty("  [1,2]  ")).isEqualTo("[ 1, 2 ]");
        assertThat(format.pretty("{\"big\":123456789012345678901234567890}"))
                .contains("123456789012345678901234567890");
    }

    @Test
    void textThatIsNotJsonIsLeftAsItIs() {
        assertThat(format.pretty(null)).isNull();
        assertThat(format.pretty("")).isEmpty();
        assertThat(format.pretty("hello world")).isEqualTo("hello world");
        assertThat(format.pretty("  42 ")).isEqualTo("  42 ");
        assertThat(format.pretty("\"a string\"")).isEqualTo("\"a string\"");
        assertThat(format.pretty("{not json")).isEqualTo("{not json");
        assertThat(format.pretty("{\"a\":1")).isEqualTo("{\"a\":1");
        assertThat(format.pretty("[1, 2")).isEqualTo("[1, 2");
        assertThat(format.pretty("{\"a\":1} and more")).isEqualTo("{\"a\":1} and more");
    }

    @Test
    void indentingKeepsNumbersAsWritten() {
        String pretty = format.pretty("{\"total\":42.00,\"id\":12345678901234567890123,\"rate\":0.1}");
        assertThat(pretty).contains("\"total\" : 42.00", "\"id\" : 12345678901234567890123", "\"rate\" : 0.1");
    }

    @Test
    void aDurationJustUnderAMinuteReadsAsAMinute() {
        assertThat(format.duration(59_949)).isEqualTo("59.9 s");
        assertThat(format.duration(59_999)).isEqualTo("1 min 0 s");
    }
}
