package io.tributary.broker.admin.service;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Record keys, values and header values in JSON: UTF-8 text when the bytes are valid UTF-8, else
 * base64, with the encoding named beside the data so that a reader never has to guess.
 */
public final class RecordBytes {

    public static final String UTF8 = "utf8";
    public static final String BASE64 = "base64";

    /** Bytes as JSON shows them; {@code null} data (a null key or a tombstone) has no encoding. */
    public record Encoded(String data, String encoding) {
    }

    private RecordBytes() {
    }

    public static Encoded encode(ByteBuffer bytes) {
        if (bytes == null) {
            return new Encoded(null, null);
        }
        ByteBuffer view = bytes.duplicate();
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(view);
            return new Encoded(text.toString(), UTF8);
        } catch (CharacterCodingException e) {
            byte[] raw = new byte[bytes.remaining()];
            bytes.duplicate().get(raw);
            return new Encoded(Base64.getEncoder().encodeToString(raw), BASE64);
        }
    }

    public static Encoded encode(byte[] bytes) {
        return encode(bytes == null ? null : ByteBuffer.wrap(bytes));
    }

    /**
     * @param encoding {@code utf8} (the default) or {@code base64}
     * @param field    what is decoded, for the error message
     */
    public static byte[] decode(String data, String encoding, String field) {
        if (data == null) {
            return null;
        }
        if (encoding == null || encoding.equals(UTF8)) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
        if (encoding.equals(BASE64)) {
            try {
                return Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw AdminProblems.badRequest("The " + field + " is not valid base64: " + e.getMessage());
            }
        }
        throw AdminProblems.badRequest("Unknown encoding '" + encoding + "' of the " + field + ": expected utf8 or base64");
    }
}
