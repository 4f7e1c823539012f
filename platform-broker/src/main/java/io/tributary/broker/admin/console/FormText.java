package io.tributary.broker.admin.console;

import java.util.LinkedHashMap;
import java.util.Map;
import io.tributary.broker.admin.service.AdminProblems;

/** Reading the console's form fields, refusing what does not parse with a message naming the field. */
final class FormText {

    private FormText() {
    }

    /** Blank is "not given"; anything else must be a whole number. */
    static Integer integer(String text, String field) {
        Long value = longValue(text, field);
        if (value != null && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)) {
            throw AdminProblems.badRequest(field + " is out of range: " + value);
        }
        return value == null ? null : value.intValue();
    }

    static Long longValue(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw AdminProblems.badRequest(field + " must be a whole number, not '" + text.strip() + "'");
        }
    }

    /**
     * {@code name=value} per line; blank lines and lines starting with # are skipped.
     *
     * @param what what a line holds, for the error message ("config", "header")
     */
    static Map<String, String> keyValueLines(String text, String what) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw AdminProblems.badRequest("A " + what + " line reads name=value: '" + trimmed + "'");
            }
            entries.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return entries;
    }
}
