package io.tributary.broker.admin.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.admin.history.LagSample;
import io.tributary.broker.admin.history.MetricsHistory;
import io.tributary.broker.admin.service.GroupAdmin;
import io.tributary.broker.admin.service.GroupAdmin.OffsetReset;
import io.tributary.broker.admin.service.GroupAdmin.OffsetResetResult;
import io.tributary.broker.admin.service.PeerBrokers;
import io.tributary.broker.admin.service.TopicAdmin;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.type.TypeReference;

/**
 * Consumer groups: the list with their lag, one group's members, offsets and lag over time, and an
 * offset reset that is always previewed before it is applied.
 */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class GroupsPageController {

    /** The reset form as the operator filled it; {@code to} is earliest, latest, offset or time. */
    record ResetForm(String topic, String to, String offset, String time) {
    }

    private static final TypeReference<Map<String, List<Number>>> LAG_COLUMNS = new TypeReference<>() {
    };

    private final GroupAdmin groups;
    private final TopicAdmin topics;
    private final MetricsHistory history;
    private final PeerBrokers peers;
    private final ConsoleProperties properties;

    GroupsPageController(GroupAdmin groups, TopicAdmin topics, MetricsHistory history, PeerBrokers peers,
            ConsoleProperties properties) {
        this.groups = groups;
        this.topics = topics;
        this.history = history;
        this.peers = peers;
        this.properties = properties;
    }

    @GetMapping("/console/groups")
    String list(Model model) {
        model.addAttribute("groups", groups.list());
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        return "console/groups";
    }

    @GetMapping("/console/groups/{groupId}")
    String group(@PathVariable String groupId, Model model) {
        var group = groups.describe(groupId);
        model.addAttribute("group", group);
        model.addAttribute("topicNames", topics.list().stream().map(TopicAdmin.TopicSummary::name).toList());
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        if (!model.containsAttribute("reset")) {
            String firstTopic = group.offsets().isEmpty() ? "" : group.offsets().get(0).topic();
            model.addAttribute("reset", new ResetForm(firstTopic, "earliest", "", ""));
        }
        return "console/group";
    }

    /** Shows what the reset would commit, with a button that applies exactly that form. */
    @PostMapping("/console/groups/{groupId}/reset/preview")
    String preview(@PathVariable String groupId, @RequestParam(defaultValue = "") String topic,
            @RequestParam(defaultValue = "earliest") String to, @RequestParam(defaultValue = "") String offset,
            @RequestParam(defaultValue = "") String time, Model model, HttpServletResponse response) {
        ResetForm form = new ResetForm(topic, to, offset, time);
        model.addAttribute("reset", form);
        try {
            model.addAttribute("preview", groups.previewReset(groupId, request(form)));
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.require(e);
            response.setStatus(problem.status().value());
            model.addAttribute("error", problem.message());
        }
        return group(groupId, model);
    }

    @PostMapping("/console/groups/{groupId}/reset")
    String reset(@PathVariable String groupId, @RequestParam(defaultValue = "") String topic,
            @RequestParam(defaultValue = "earliest") String to, @RequestParam(defaultValue = "") String offset,
            @RequestParam(defaultValue = "") String time, Model model, RedirectAttributes redirect,
            HttpServletResponse response) {
        ResetForm form = new ResetForm(topic, to, offset, time);
        try {
            OffsetResetResult result = groups.resetOffsets(groupId, request(form));
            List<String> moved = new ArrayList<>();
            result.offsets().forEach(o -> moved.add(o.topic() + "-" + o.partition() + " → " + o.offset()));
            redirect.addFlashAttribute("notice", "Offsets of " + groupId + " reset: " + String.join(", ", moved) + ".");
            return "redirect:/console/groups/" + UriUtils.encodePathSegment(groupId, "UTF-8");
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.require(e);
            response.setStatus(problem.status().value());
            model.addAttribute("error", problem.message());
            model.addAttribute("reset", form);
            return group(groupId, model);
        }
    }

    /** The group's total lag over the last {@code minutes}, in uPlot's column form. */
    @GetMapping("/console/api/groups/{groupId}/lag")
    @ResponseBody
    Map<String, List<Number>> lag(@PathVariable String groupId, @RequestParam(defaultValue = "15") int minutes) {
        Optional<Integer> coordinator = groups.coordinatorElsewhere(groupId);
        if (coordinator.isPresent()) {
            // The coordinator samples the group's lag; its history is the one to draw.
            return peers.get(coordinator.get(), "/console/api/groups/" + UriUtils.encodePathSegment(groupId, "UTF-8")
                    + "/lag?minutes=" + minutes, LAG_COLUMNS);
        }
        List<Number> time = new ArrayList<>();
        List<Number> lag = new ArrayList<>();
        for (LagSample sample : history.lag(groupId, Duration.ofMinutes(Math.max(1, Math.min(minutes, 24 * 60))))) {
            time.add(sample.time() / 1000.0);
            lag.add(sample.lag());
        }
        Map<String, List<Number>> columns = new LinkedHashMap<>();
        columns.put("time", time);
        columns.put("lag", lag);
        return columns;
    }

    private static OffsetReset request(ResetForm form) {
        return switch (form.to()) {
            case "earliest", "latest" -> new OffsetReset(form.topic(), form.to(), null, null);
            case "offset" -> {
                Long offset = FormText.longValue(form.offset(), "The offset");
                if (offset == null) {
                    throw io.tributary.broker.admin.service.AdminProblems.badRequest("Enter the offset to reset to");
                }
                yield new OffsetReset(form.topic(), "offset", null, offset);
            }
            case "time" -> new OffsetReset(form.topic(), "timestamp", MessagesPageController.time(form.time()), null);
            default -> new OffsetReset(form.topic(), form.to(), null, null); // the service names the unknown target
        };
    }
}
