package io.tributary.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading trace ids off Spring Boot's log lines, as the sample services write them (lines taken from a real run). */
class TraceLogTest {

    private static final String ORDER = "39162681-9d7c-4c11-ba3a-7aeceae7f671";

    @Test
    void findsEachOrdersTraceAndTheLinesThatHaveNone(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("payments.log");
        Files.write(log, List.of(
                "2026-12-02T02:48:25.887Z  INFO 32443 --- [payments] [           main] [                                                 ] i.t.s.payments.PaymentsApplication       : Started PaymentsApplication in 6.2 seconds",
                "2026-12-02T02:48:34.591Z  INFO 32443 --- [payments] [ntainer#0-0-C-1] [15c2a3d11c8244220d47b947e5665621-17430e790db595cf] i.t.s.payments.payment.PaymentService    : Charged order 6f65419a-5624-435f-b0b6-4915ea8872bb: APPROVED",
                "2026-12-02T02:48:35.088Z  INFO 32443 --- [payments] [ntainer#0-0-C-1] [                                                 ] i.t.s.payments.payment.PaymentService    : Charged order " + ORDER + ": DECLINED",
                "2026-12-02T02:48:45.976Z  INFO 32761 --- [payments] [           main] [                                                 ] i.t.s.payments.PaymentsApplication       : Started PaymentsApplication in 5.1 seconds",
                "2026-12-02T02:48:46.100Z  INFO 32761 --- [payments] [ntainer#0-0-C-1] [19108e3943c369b12152f0f29e9591d3-2649a068b22a693d] i.t.s.payments.payment.PaymentService    : Charged order " + ORDER + ": DECLINED"));

        assertThat(TraceLog.traceIdsByOrder(log)).isEqualTo(Map.of(
                "6f65419a-5624-435f-b0b6-4915ea8872bb", Set.of("15c2a3d11c8244220d47b947e5665621"),
                ORDER, Set.of("19108e3943c369b12152f0f29e9591d3")));
        assertThat(TraceLog.linesByOrder(log).get(ORDER)).containsExactly(
                new TraceLog.OrderLine(null, 1), new TraceLog.OrderLine("19108e3943c369b12152f0f29e9591d3", 2));
    }

    @Test
    void keepsTheOrderLinesInTheOrderTheyWereWritten(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("payments.log");
        Files.write(log, List.of(
                "2026-12-02T02:48:34.954Z  INFO 32443 --- [payments] [ntainer#0-0-C-1] [762a1e9b5b1f9bb8d908f6784b460110-21379797e0494b5c] i.t.s.payments.payment.PaymentService    : Charged order cbb2d4d5-ff86-4556-9886-aae3b68cec16: APPROVED",
                "2026-12-02T02:48:35.088Z  INFO 32443 --- [payments] [ntainer#0-0-C-1] [                                                 ] i.t.s.payments.payment.PaymentService    : Charged order " + ORDER + ": DECLINED"));
        assertThat(TraceLog.orderLines(log)).extracting(Map.Entry::getKey)
                .containsExactly("cbb2d4d5-ff86-4556-9886-aae3b68cec16", ORDER);
        assertThat(TraceLog.orderLines(log)).extracting(e -> e.getValue().traceId())
                .containsExactly("762a1e9b5b1f9bb8d908f6784b460110", null);
    }
}
