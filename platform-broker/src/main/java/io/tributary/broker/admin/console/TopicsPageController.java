package io.tributary.broker.admin.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.admin.history.MetricsHistory;
import io.tributary.broker.admin.service.AdminProblems;
import io.tributary.broker.admin.service.TopicAdmin;
import io.tributary.broker.admin.service.TopicAdmin.ConfigChange;
import io.tributary.broker.admin.service.TopicAdmin.ConfigEntry;
import io.tributary.broker.admin.service.TopicAdmin.CreateTopic;
import io.tributary.broker.admin.service.TopicAdmin.TopicDescription;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Topics: the searchable list with a create form, one topic's partitions and configs, and the
 * changes — delete (confirmed by typing the name), configs, more partitions. A refused change is
 * shown in the page it came from, with the form as the operator filled it.
 */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class TopicsPageController {

    /** Config inputs are posted as {@code config:<name>}. */
    static final String CONFIG_PREFIX = "config:";

    /** A topic row with its current traffic. */
    record TopicRow(TopicAdmin.TopicSummary topic, double recordsInPerSecond, double bytesInPerSecond) {
    }

    /** A partition row with its current append rate. */
    record PartitionRow(TopicAdmin.PartitionDescription partition, double recordsPerSecond) {
    }

    private final TopicAdmin topics;
    private final MetricsHistory history;
    private final ConsoleProperties properties;

    TopicsPageController(TopicAdmin topics, MetricsHistory history, ConsoleProperties properties) {
        this.topics = topics;
        this.history = history;
        this.properties = properties;
    }

    @GetMapping("/console/topics")
    String list(Model model) {
        List<TopicRow> rows = topics.list().stream()
                .map(t -> new TopicRow(t, history.topicRate(t.name()).recordsIn(), history.topicRate(t.name()).bytesIn()))
                .toList();
        model.addAttribute("topics", rows);
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new CreateForm("", "", "", ""));
        }
        return "console/topics";
    }

    /** The create form as posted, kept to show it again with an error. */
    record CreateForm(String name, String partitions, String replicationFactor, String configs) {
    }

    @PostMapping("/console/topics")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String partitions,
            @RequestParam(defaultValue = "") String replicationFactor, @RequestParam(defaultValue = "") String configs,
            Model model, RedirectAttributes redirect, HttpServletResponse response) {
        CreateForm form = new CreateForm(name, partitions, replicationFactor, configs);
        try {
            TopicDescription created = topics.create(new CreateTopic(name, FormText.integer(partitions, "Partitions"),
                    FormText.integer(replicationFactor, "Replication factor"), FormText.keyValueLines(configs, "config")));
            redirect.addFlashAttribute("notice", "Topic " + created.name() + " created with "
                    + created.partitions().size() + " partition(s).");
            return "redirect:/console/topics/" + UriUtils.encodePathSegment(created.name(), "UTF-8");
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.require(e);
            response.setStatus(problem.status().value());
            model.addAttribute("error", problem.message());
            model.addAttribute("form", form);
            return list(model);
        }
    }

    @GetMapping("/console/topics/{name}")
    String topic(@PathVariable String name, Model model) {
        TopicDescription topic = topics.describe(name);
        model.addAttribute("topic", topic);
        model.addAttribute("partitions", topic.partitions().stream()
                .map(p -> new PartitionRow(p, history.appendRate(new TopicPartition(name, p.partition()))))
                .toList());
        model.addAttribute("rate", history.topicRate(name));
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        return "console/topic";
    }

    @PostMapping("/console/topics/{name}/delete")
    String delete(@PathVariable String name, @RequestParam(defaultValue = "") String confirm, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        try {
            topics.topic(name);
            if (!name.equals(confirm.strip())) {
                throw AdminProblems.badRequest("Type the topic's name, " + name + ", to confirm its deletion");
            }
            topics.delete(name);
            redirect.addFlashAttribute("notice", "Topic " + name + " deleted.");
            return "redirect:/console/topics";
        } catch (RuntimeException e) {
            return refused(name, e, model, response);
        }
    }

    @PostMapping("/console/topics/{name}/configs")
    String changeConfigs(@PathVariable String name, @RequestParam Map<String, String> params, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        Map<String, String> set = new LinkedHashMap<>();
        try {
            Map<String, ConfigEntry> current = new LinkedHashMap<>();
            topics.configs(name).forEach(entry -> current.put(entry.name(), entry));
            List<String> delete = new ArrayList<>();
            params.forEach((key, value) -> {
                if (!key.startsWith(CONFIG_PREFIX)) {
                    return;
                }
                String config = key.substring(CONFIG_PREFIX.length());
                ConfigEntry entry = current.get(config);
                String wanted = value.strip();
                if (entry == null) {
                    set.put(config, wanted); // unknown: let the service name it
                } else if (wanted.isEmpty()) {
                    if ("topic".equals(entry.source())) {
                        delete.add(config);
                    }
                } else if (!wanted.equals(entry.value())) {
                    set.put(config, wanted);
                }
            });
            if (set.isEmpty() && delete.isEmpty()) {
                redirect.addFlashAttribute("notice", "No config changed.");
            } else {
                topics.changeConfigs(name, new ConfigChange(set, delete));
                redirect.addFlashAttribute("notice", "Configs of " + name + " saved: " + describe(set, delete) + ".");
            }
            return "redirect:/console/topics/" + UriUtils.encodePathSegment(name, "UTF-8");
        } catch (RuntimeException e) {
            model.addAttribute("submitted", params);
            String page = refused(name, e, model, response);
            model.addAttribute("invalidConfigs", mentioned((String) model.getAttribute("error"), set.keySet()));
            return page;
        }
    }

    /**
     * The changed configs an error names as a whole word: {@code retention.ms} is not named by an
     * error about {@code delete.retention.ms}.
     */
    static List<String> mentioned(String error, java.util.Collection<String> names) {
        if (error == null) {
            return List.of();
        }
        return names.stream()
                .filter(n -> java.util.regex.Pattern.compile("(?<![\\w.])" + java.util.regex.Pattern.quote(n)
                        + "(?!\\w|\\.\\w)").matcher(error).find())
                .toList();
    }

    @PostMapping("/console/topics/{name}/partitions")
    String addPartitions(@PathVariable String name, @RequestParam(defaultValue = "") String count, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        try {
            TopicDescription topic = topics.addPartitions(name, FormText.integer(count, "The partition count"));
            redirect.addFlashAttribute("notice", name + " has " + topic.partitions().size() + " partitions now.");
            return "redirect:/console/topics/" + UriUtils.encodePathSegment(name, "UTF-8");
        } catch (RuntimeException e) {
            return refused(name, e, model, response);
        }
    }

    /** The topic page again with the refusal at the top, or the error page when the topic itself is gone. */
    private String refused(String name, RuntimeException e, Model model, HttpServletResponse response) {
        ConsoleProblem problem = ConsoleProblem.require(e);
        response.setStatus(problem.status().value());
        model.addAttribute("error", problem.message());
        if (topics.find(name).isEmpty()) {
            model.addAttribute("status", problem.status().value());
            return "console/error";
        }
        return topic(name, model);
    }

    private static String describe(Map<String, String> set, List<String> delete) {
        List<String> parts = new ArrayList<>();
        set.forEach((k, v) -> parts.add(k + "=" + v));
        delete.forEach(k -> parts.add(k + " reset to default"));
        return String.join(", ", parts);
    }
}
