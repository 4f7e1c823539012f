package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** The times the messages and reset forms accept: epoch millis, a UTC date-time, an ISO-8601 instant. */
class FormTimeTest {

    private static final long TEN_FIFTEEN = 1_764_670_500_000L; // 2025-12-02T10:15:00Z

    @Test
    void epochMilliseconds() {
        assertThat(MessagesPageController.time("0")).isZero();
        assertThat(MessagesPageController.time(" 1764670500000 ")).isEqualTo(TEN_FIFTEEN);
    }

    @Test
    void aLocalDateTimeIsTakenAsUtc() {
        assertThat(MessagesPageController.time("2025-12-02T10:15:00")).isEqualTo(TEN_FIFTEEN);
        assertThat(MessagesPageController.time("2025-12-02T10:15")).isEqualTo(TEN_FIFTEEN);
        assertThat(MessagesPageController.time("2025-12-02T10:15:00.250")).isEqualTo(TEN_FIFTEEN + 250);
    }

    @Test
    void anInstantWithItsOffset() {
        assertThat(MessagesPageController.time("2025-12-02T10:15:00Z")).isEqualTo(TEN_FIFTEEN);
        assertThat(MessagesPageController.time("2025-12-02T11:15:00+01:00")).isEqualTo(TEN_FIFTEEN);
        assertThat(MessagesPageController.time("2025-12-02T05:15:00-05:00")).isEqualTo(TEN_FIFTEEN);
    }

    @Test
    void anythingElseIsRefused() {
        for (String text : new String[] {"yesterday", "2025-12-02", "10:15", "2025-13-02T10:15:00", "-5"}) {
            assertThatThrownBy(() -> MessagesPageController.time(text)).as(text)
                    .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                        assertThat(e.getStatusCode().value()).isEqualTo(400);
                        assertThat(e.getBody().getDetail()).isEqualTo("'" + text
                                + "' is not a time: use 2026-12-02T10:15:00 (UTC) or epoch milliseconds");
                    });
        }
        assertThatThrownBy(() -> MessagesPageController.time(" ")).isInstanceOfSatisfying(ErrorResponseException.class,
                e -> assertThat(e.getBody().getDetail()).isEqualTo("Enter the time to start from"));
        assertThatThrownBy(() -> MessagesPageController.time(null)).isInstanceOf(ErrorResponseException.class);
    }
}
