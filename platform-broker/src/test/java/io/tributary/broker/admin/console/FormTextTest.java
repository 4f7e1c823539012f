package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class FormTextTest {

    @Test
    void aBlankNumberIsNotGiven() {
        assertThat(FormText.integer(null, "Partitions")).isNull();
        assertThat(FormText.integer("", "Partitions")).isNull();
        assertThat(FormText.integer("   ", "Partitions")).isNull();
        assertThat(FormText.longValue(null, "The offset")).isNull();
        assertThat(FormText.longValue(" \t", "The offset")).isNull();
    }

    @Test
    void wholeNumbers() {
        assertThat(FormText.integer(" 42 ", "Partitions")).isEqualTo(42);
        assertThat(FormText.integer("-3", "Partitions")).isEqualTo(-3);
        assertThat(FormText.integer("2147483647", "Partitions")).isEqualTo(Integer.MAX_VALUE);
        assertThat(FormText.integer("-2147483648", "Partitions")).isEqualTo(Integer.MIN_VALUE);
        assertThat(FormText.longValue("9223372036854775807", "The offset")).isEqualTo(Long.MAX_VALUE);
        assertThat(FormText.longValue("0", "The offset")).isZero();
    }

    @Test
    void whatIsNotAWholeNumberIsRefusedNamingTheField() {
        assertRefused(() -> FormText.integer("abc", "Partitions"), "Partitions must be a whole number, not 'abc'");
        assertRefused(() -> FormText.integer(" 1.5 ", "Partitions"), "Partitions must be a whole number, not '1.5'");
        assertRefused(() -> FormText.longValue("1e3", "The offset"), "The offset must be a whole number, not '1e3'");
        assertRefused(() -> FormText.longValue("99999999999999999999", "The offset"),
                "The offset must be a whole number, not '99999999999999999999'");
    }

    @Test
    void anIntegerOutOfRangeIsRefused() {
        assertRefused(() -> FormText.integer("2147483648", "Partitions"), "Partitions is out of range: 2147483648");
        assertRefused(() -> FormText.integer("-2147483649", "Partitions"), "Partitions is out of range: -2147483649");
    }

    @Test
    void keyValueLines() {
        Map<String, String> entries = FormText.keyValueLines("b = 2 \r\na=1\n\n   \n# a comment\n  d=x=y\nempty=\nb=3",
                "config");

        assertThat(entries).containsExactly(Map.entry("b", "3"), Map.entry("a", "1"), Map.entry("d", "x=y"),
                Map.entry("empty", ""));
        assertThat(FormText.keyValueLines("", "header")).isEmpty();
        assertThat(FormText.keyValueLines("\n# only a comment\n", "header")).isEmpty();
    }

    @Test
    void aLineWithoutANameIsRefused() {
        assertRefused(() -> FormText.keyValueLines("a=1\nnonsense", "header"), "A header line reads name=value: 'nonsense'");
        assertRefused(() -> FormText.keyValueLines("=value", "config"), "A config line reads name=value: '=value'");
        assertRefused(() -> FormText.keyValueLines("  = value", "config"), "A config line reads name=value: '= value'");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(e.getBody().getDetail()).isEqualTo(message);
        });
    }
}
