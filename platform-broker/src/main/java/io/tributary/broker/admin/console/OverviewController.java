package io.tributary.broker.admin.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.admin.history.MetricsHistory;
import io.tributary.broker.admin.history.TrafficSample;
import io.tributary.broker.admin.service.ClusterOverview;
import io.tributary.broker.admin.service.GroupAdmin;
import io.tributary.broker.admin.service.PeerBrokers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import tools.jackson.core.type.TypeReference;

/** The console's front page — brokers, partition health, disk, live traffic — and the history the charts draw. */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class OverviewController {

    /** The longest window a chart may ask for; the history keeps no more than its retention anyway. */
    private static final int MAX_MINUTES = 24 * 60;

    private static final TypeReference<Map<String, List<Double>>> COLUMNS = new TypeReference<>() {
    };

    private final ClusterOverview cluster;
    private final GroupAdmin groups;
    private final MetricsHistory history;
    private final PeerBrokers peers;
    private final ConsoleProperties properties;

    OverviewController(ClusterOverview cluster, GroupAdmin groups, MetricsHistory history, PeerBrokers peers,
            ConsoleProperties properties) {
        this.cluster = cluster;
        this.groups = groups;
        this.history = history;
        this.peers = peers;
        this.properties = properties;
    }

    @GetMapping({"/console", "/console/"})
    String overview(Model model) {
        model.addAttribute("overview", cluster.overview());
        model.addAttribute("groupCount", groups.list().size());
        Map<String, List<Number>> recent = traffic(1, "cluster");
        int last = recent.get("time").size() - 1;
        model.addAttribute("traffic", last < 0 ? null : new TrafficSample((long) (recent.get("time").get(last).doubleValue() * 1000),
                recent.get("bytesIn").get(last).doubleValue(), recent.get("bytesOut").get(last).doubleValue(),
                recent.get("recordsIn").get(last).doubleValue(), recent.get("recordsOut").get(last).doubleValue()));
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        return "console/overview";
    }

    /**
     * Traffic over the last {@code minutes}, in uPlot's column form: {@code time} in epoch seconds,
     * then one array per series, per second — summed over every broker that answers (each sample
     * counted in the sampling interval it falls in), or this broker's alone with {@code scope=broker}.
     */
    @GetMapping("/console/api/traffic")
    @ResponseBody
    Map<String, List<Number>> traffic(@RequestParam(defaultValue = "15") int minutes,
            @RequestParam(defaultValue = "cluster") String scope) {
        int window = Math.max(1, Math.min(minutes, MAX_MINUTES));
        long bucketMillis = history.interval().toMillis();
        TreeMap<Long, TrafficSample> buckets = new TreeMap<>();
        for (TrafficSample sample : history.traffic(Duration.ofMinutes(window))) {
            buckets.merge(sample.time() / bucketMillis, sample, TrafficSample::plus);
        }
        if (!"broker".equals(scope)) {
            for (PeerBrokers.Answer<Map<String, List<Double>>> answer
                    : peers.askOthers("/console/api/traffic?scope=broker&minutes=" + window, COLUMNS)) {
                if (!answer.ok()) {
                    continue;
                }
                Map<String, List<Double>> c = answer.value();
                for (int i = 0; i < c.getOrDefault("time", List.of()).size(); i++) {
                    long time = Math.round(c.get("time").get(i) * 1000);
                    buckets.merge(time / bucketMillis, new TrafficSample(time, c.get("bytesIn").get(i),
                            c.get("bytesOut").get(i), c.get("recordsIn").get(i), c.get("recordsOut").get(i)),
                            TrafficSample::plus);
                }
            }
        }
        Map<String, List<Number>> columns = new LinkedHashMap<>();
        List<Number> time = new ArrayList<>();
        List<Number> bytesIn = new ArrayList<>();
        List<Number> bytesOut = new ArrayList<>();
        List<Number> recordsIn = new ArrayList<>();
        List<Number> recordsOut = new ArrayList<>();
        for (TrafficSample sample : buckets.values()) {
            time.add(sample.time() / 1000.0);
            bytesIn.add(sample.bytesIn());
            bytesOut.add(sample.bytesOut());
            recordsIn.add(sample.recordsIn());
            recordsOut.add(sample.recordsOut());
        }
        columns.put("time", time);
        columns.put("bytesIn", bytesIn);
        columns.put("bytesOut", bytesOut);
        columns.put("recordsIn", recordsIn);
        columns.put("recordsOut", recordsOut);
        return columns;
    }
}
