package io.tributary.broker.admin.console;

import java.util.List;
import io.tributary.broker.admin.service.KeyFollower;
import io.tributary.broker.admin.service.TopicAdmin;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Follow a key: every record with one key across the topics chosen, on one timeline with the time
 * between steps — in the reference stack, an order from OrderCreated to InvoiceIssued.
 */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class FollowPageController {

    private final TopicAdmin topics;
    private final KeyFollower follower;

    FollowPageController(TopicAdmin topics, KeyFollower follower) {
        this.topics = topics;
        this.follower = follower;
    }

    @GetMapping("/console/follow")
    String follow(@RequestParam(required = false) String key, @RequestParam(required = false) List<String> topic,
            Model model, HttpServletResponse response) {
        List<String> names = topics.list().stream().filter(t -> !t.internal()).map(TopicAdmin.TopicSummary::name).toList();
        List<String> chosen = topic != null ? topic : names.stream().filter(n -> !n.endsWith(".DLT")).toList();
        model.addAttribute("topicNames", names);
        model.addAttribute("chosen", chosen);
        model.addAttribute("key", key == null ? "" : key);
        if (key != null) {
            try {
                model.addAttribute("timeline", follower.follow(key, chosen));
            } catch (RuntimeException e) {
                ConsoleProblem problem = ConsoleProblem.require(e);
                response.setStatus(problem.status().value());
                model.addAttribute("error", problem.message());
            }
        }
        return "console/follow";
    }
}
