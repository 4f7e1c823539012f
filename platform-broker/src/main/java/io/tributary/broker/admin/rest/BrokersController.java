package io.tributary.broker.admin.rest;

import java.net.URI;
import io.tributary.broker.admin.service.BrokerRetirement;
import io.tributary.broker.admin.service.BrokerRetirement.DrainPlan;
import io.tributary.broker.admin.service.BrokerRetirement.DrainProgress;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Retiring a broker ({@link BrokerRetirement}): drain it (its replicas move to other brokers; the
 * answer is the plan, accepted and under way), follow the drain, then unregister it once stopped.
 */
@RestController
@RequestMapping("/api/brokers/{id}")
class BrokersController {

    private final BrokerRetirement retirement;

    BrokersController(BrokerRetirement retirement) {
        this.retirement = retirement;
    }

    @PostMapping("/drain")
    ResponseEntity<DrainPlan> drain(@PathVariable int id, UriComponentsBuilder uri) {
        DrainPlan plan = retirement.drain(id);
        URI progress = uri.path("/api/brokers/{id}/drain").buildAndExpand(id).toUri();
        return ResponseEntity.accepted().location(progress).body(plan);
    }

    @GetMapping("/drain")
    DrainProgress progress(@PathVariable int id) {
        return retirement.progress(id);
    }

    @DeleteMapping
    ResponseEntity<Void> unregister(@PathVariable int id) {
        retirement.unregister(id);
        return ResponseEntity.noContent().build();
    }
}
