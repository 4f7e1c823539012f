package io.tributary.broker.network;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

final class TestSupport {

    private TestSupport() {
    }

    static String utf8(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
