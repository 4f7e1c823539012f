package io.tributary.broker.admin.console;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import io.tributary.broker.admin.service.AdminProblems;
import io.tributary.broker.admin.service.RecordBrowser;
import io.tributary.broker.admin.service.RecordBrowser.BrowseRequest;
import io.tributary.broker.admin.service.RecordBrowser.ProduceRecord;
import io.tributary.broker.admin.service.RecordBrowser.Produced;
import io.tributary.broker.admin.service.RecordBrowser.RecordFilter;
import io.tributary.broker.admin.service.TopicAdmin;
import io.tributary.broker.admin.service.TopicAdmin.TopicDescription;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A topic's records: browse one partition from the newest, an offset or a time, filtered by key,
 * header or a value substring; and produce a record with key, value and headers.
 */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class MessagesPageController {

    /** The browse form as the operator filled it; {@code from} is newest, earliest, offset or time. */
    record BrowseForm(int partition, String from, String offset, String time, int limit, String key, String header,
            String contains) {
    }

    /** The produce form as posted, shown again after a refusal. */
    record ProduceForm(String partition, String key, String value, String headers) {
    }

    private final TopicAdmin topics;
    private final RecordBrowser records;

    MessagesPageController(TopicAdmin topics, RecordBrowser records) {
        this.topics = topics;
        this.records = records;
    }

    @GetMapping("/console/topics/{name}/messages")
    String browse(@PathVariable String name, @RequestParam(defaultValue = "0") int partition,
            @RequestParam(defaultValue = "newest") String from, @RequestParam(defaultValue = "") String offset,
            @RequestParam(defaultValue = "") String time, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String header,
            @RequestParam(defaultValue = "") String contains, Model model, HttpServletResponse response) {
        TopicDescription topic = topics.describe(name);
        BrowseForm form = new BrowseForm(partition, from, offset, time, limit, key, header, contains);
        model.addAttribute("topic", topic);
        model.addAttribute("form", form);
        if (!model.containsAttribute("produce")) {
            model.addAttribute("produce", new ProduceForm("", "", "", ""));
        }
        try {
            if (partition < 0 || partition >= topic.partitions().size()) {
                throw AdminProblems.badRequest("Partition " + partition + " does not exist: " + name + " has "
                        + topic.partitions().size() + " partition(s)");
            }
            model.addAttribute("page", records.browse(name, partition, request(form)));
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.require(e);
            response.setStatus(problem.status().value());
            model.addAttribute("error", problem.message());
        }
        return "console/messages";
    }

    @PostMapping("/console/topics/{name}/messages")
    String produce(@PathVariable String name, @RequestParam(defaultValue = "") String partition,
            @RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String value,
            @RequestParam(defaultValue = "") String headers, Model model, HttpServletResponse response) {
        ProduceForm form = new ProduceForm(partition, key, value, headers);
        int shown = 0;
        try {
            Integer chosen = FormText.integer(partition, "The partition");
            Produced produced = records.produce(name, new ProduceRecord(chosen, key.isEmpty() ? null : key, null,
                    value, null, FormText.keyValueLines(headers, "header")));
            model.addAttribute("notice", "Produced to partition " + produced.partition() + " at offset "
                    + produced.offset() + ".");
            shown = produced.partition();
            model.addAttribute("produce", new ProduceForm(partition, key, "", headers));
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.require(e);
            model.addAttribute("produceError", problem.message());
            model.addAttribute("produce", form);
            String page = browse(name, 0, "newest", "", "", 50, "", "", "", model, response);
            response.setStatus(problem.status().value());
            return page;
        }
        return browse(name, shown, "newest", "", "", 50, "", "", "", model, response);
    }

    private static BrowseRequest request(BrowseForm form) {
        RecordFilter filter = new RecordFilter(form.key(), headerName(form.header()), headerValue(form.header()),
                form.contains());
        return switch (form.from()) {
            case "newest" -> new BrowseRequest(null, null, true, form.limit(), filter);
            case "earliest" -> new BrowseRequest(null, null, false, form.limit(), filter);
            case "offset" -> {
                Long offset = FormText.longValue(form.offset(), "The offset");
                if (offset == null) {
                    throw AdminProblems.badRequest("Enter the offset to start from");
                }
                yield new BrowseRequest(offset, null, false, form.limit(), filter);
            }
            case "time" -> new BrowseRequest(null, time(form.time()), false, form.limit(), filter);
            default -> throw AdminProblems.badRequest("Start from newest, earliest, an offset or a time, not '"
                    + form.from() + "'");
        };
    }

    /** {@code name} or {@code name=value}. */
    private static String headerName(String header) {
        int equals = header.indexOf('=');
        return equals < 0 ? header : header.substring(0, equals).strip();
    }

    private static String headerValue(String header) {
        int equals = header.indexOf('=');
        return equals < 0 ? null : header.substring(equals + 1).strip();
    }

    /** An ISO-8601 instant, a local date-time taken as UTC (as a datetime-local input sends it), or epoch millis. */
    static long time(String text) {
        if (text == null || text.isBlank()) {
            throw AdminProblems.badRequest("Enter the time to start from");
        }
        String trimmed = text.strip();
        try {
            if (trimmed.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(trimmed);
            }
            try {
                return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException noOffset) {
                // with Z or an offset, ahead of UTC (+01:00) or behind it (-05:00)
                return OffsetDateTime.parse(trimmed).toInstant().toEpochMilli();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw AdminProblems.badRequest("'" + trimmed + "' is not a time: use 2026-12-02T10:15:00 (UTC) or epoch milliseconds");
        }
    }
}
