package io.tributary.broker.admin.rest;

import java.net.URI;
import java.util.List;
import io.tributary.broker.admin.service.TopicAdmin;
import io.tributary.broker.admin.service.TopicAdmin.ConfigChange;
import io.tributary.broker.admin.service.TopicAdmin.ConfigEntry;
import io.tributary.broker.admin.service.TopicAdmin.CreateTopic;
import io.tributary.broker.admin.service.TopicAdmin.TopicDescription;
import io.tributary.broker.admin.service.TopicAdmin.TopicSummary;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** Topics: list, create, describe, delete, change configs, add partitions ({@link TopicAdmin}). */
@RestController
@RequestMapping("/api/topics")
class TopicsController {

    record AddPartitions(Integer count) {
    }

    private final TopicAdmin topics;

    TopicsController(TopicAdmin topics) {
        this.topics = topics;
    }

    @GetMapping
    List<TopicSummary> list() {
        return topics.list();
    }

    @PostMapping
    ResponseEntity<TopicDescription> create(@RequestBody CreateTopic request, UriComponentsBuilder uri) {
        TopicDescription created = topics.create(request);
        URI location = uri.path("/api/topics/{name}").buildAndExpand(created.name()).toUri();
        return ResponseEntity.created(location).body(created);
    }

    @GetMapping("/{name}")
    TopicDescription describe(@PathVariable String name) {
        return topics.describe(name);
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        topics.delete(name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/configs")
    List<ConfigEntry> configs(@PathVariable String name) {
        return topics.configs(name);
    }

    @PatchMapping("/{name}/configs")
    List<ConfigEntry> changeConfigs(@PathVariable String name, @RequestBody ConfigChange change) {
        return topics.changeConfigs(name, change);
    }

    @PostMapping("/{name}/partitions")
    TopicDescription addPartitions(@PathVariable String name, @RequestBody AddPartitions request) {
        return topics.addPartitions(name, request.count());
    }
}
