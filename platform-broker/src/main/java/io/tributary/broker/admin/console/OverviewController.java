package io.tributary.broker.admin.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.admin.history.MetricsHistory;
import io.tributary.broker.admin.history.TrafficSample;
import io.tributary.broker.admin.service.ClusterOverview;
import io.tributary.broker.admin.service.GroupAdmin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The console's front page — brokers, partition health, disk, live traffic — and the history the charts draw. */
@Controller
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
class OverviewController {

    /** The longest window a chart may ask for; the history keeps no more than its retention anyway. */
    private static final int MAX_MINUTES = 24 * 60;

    private final ClusterOverview cluster;
    private final GroupAdmin groups;
    private final MetricsHistory history;
    private final ConsoleProperties properties;

    OverviewController(ClusterOverview cluster, GroupAdmin groups, MetricsHistory history, ConsoleProperties properties) {
        this.cluster = cluster;
        this.groups = groups;
        this.history = history;
        this.properties = properties;
    }

    @GetMapping({"/console", "/console/"})
    String overview(Model model) {
        model.addAttribute("overview", cluster.overview());
        model.addAttribute("groupCount", groups.list().size());
        List<TrafficSample> last = history.traffic(Duration.ZERO);
        model.addAttribute("traffic", last.isEmpty() ? null : last.get(last.size() - 1));
        model.addAttribute("refreshSeconds", properties.getRefreshInterval().toSeconds());
        return "console/overview";
    }

    /**
     * Traffic over the last {@code minutes}, in uPlot's column form: {@code time} in epoch seconds,
     * then one array per series, per second.
     */
    @GetMapping("/console/api/traffic")
    @ResponseBody
    Map<String, List<Number>> traffic(@RequestParam(defaultValue = "15") int minutes) {
        int window = Math.max(1, Math.min(minutes, MAX_MINUTES));
        Map<String, List<Number>> columns = new LinkedHashMap<>();
        List<Number> time = new ArrayList<>();
        List<Number> bytesIn = new ArrayList<>();
        List<Number> bytesOut = new ArrayList<>();
        List<Number> recordsIn = new ArrayList<>();
        List<Number> recordsOut = new ArrayList<>();
        for (TrafficSample sample : history.traffic(Duration.ofMinutes(window))) {
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
