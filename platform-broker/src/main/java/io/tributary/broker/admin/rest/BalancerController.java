package io.tributary.broker.admin.rest;

import io.tributary.broker.admin.service.ClusterBalance;
import io.tributary.broker.admin.service.ClusterBalance.Status;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The self-balancer ({@link ClusterBalance}): on or off, its last plan, the moves in flight, the balance per broker. */
@RestController
class BalancerController {

    private final ClusterBalance balance;

    BalancerController(ClusterBalance balance) {
        this.balance = balance;
    }

    @GetMapping("/api/cluster/balancer")
    Status balancer() {
        return balance.status();
    }
}
