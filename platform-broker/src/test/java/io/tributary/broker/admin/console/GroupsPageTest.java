package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.tributary.broker.admin.ShareGroupWork;
import io.tributary.broker.admin.service.GroupAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GroupsPageTest extends ConsoleTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GroupAdmin groupAdmin;

    @Test
    void anEmptyGroupIsListedAndDescribed() throws Exception {
        ledger("ledger.listed");
        commit("listers", "ledger.listed", Map.of(0, 3L, 1, 1L));

        String list = body(mvc.perform(get("/console/groups"))
                .andExpect(status().isOk())
                .andExpect(view().name("console/groups"))
                .andReturn());
        String row = row(list, "/console/groups/listers");
        assertThat(row).contains("<a href=\"/console/groups/listers\">listers</a>")
                .contains("<td class=\"group-type\">classic</td>")
                .contains(">Empty</span>")
                .contains("data-value=\"2\">2</td>");

        String page = body(mvc.perform(get("/console/groups/listers"))
                .andExpect(status().isOk())
                .andExpect(view().name("console/group"))
                .andReturn());
        assertThat(page).contains("<h1>listers</h1>");
        assertThat(page).contains("id=\"group-state\">Empty</span>");
        assertThat(page).contains("id=\"total-lag\">2</strong>");
        assertThat(page).contains("No members: the group is empty");
        assertThat(page).contains("<td><a href=\"/console/topics/ledger.listed\">ledger.listed</a></td>");
        assertThat(page).contains("<td class=\"num lag warn\">2</td>").contains("<td class=\"num lag\">0</td>");
        assertThat(page).doesNotContain("id=\"reset-preview\"");
        // the reset form starts at the group's first topic
        assertThat(page).contains("<option value=\"ledger.listed\" selected=\"selected\">ledger.listed</option>");
    }

    @Test
    void aPreviewShowsCurrentAndNewOffsetsAndCommitsNothing() throws Exception {
        ledger("ledger.previewed");
        commit("previewers", "ledger.previewed", Map.of(0, 3L, 1, 1L));

        MvcResult earliest = mvc.perform(form(post("/console/groups/previewers/reset/preview"), "topic",
                "ledger.previewed", "to", "earliest", "offset", "", "time", "")).andReturn();

        assertThat(earliest.getResponse().getStatus()).isEqualTo(200);
        String page = body(earliest);
        assertThat(previewRows(page)).containsExactly(
                List.of("ledger.previewed", "0", "3", "0", "0–3"),
                List.of("ledger.previewed", "1", "1", "0", "0–3"));
        assertThat(page).contains("id=\"apply-reset\"").contains("<input type=\"hidden\" name=\"to\" value=\"earliest\">");
        assertThat(committed("previewers")).containsExactly(Map.entry(0, 3L), Map.entry(1, 1L));

        String toOffset = body(mvc.perform(form(post("/console/groups/previewers/reset/preview"), "topic",
                "ledger.previewed", "to", "offset", "offset", "2")).andExpect(status().isOk()).andReturn());
        assertThat(previewRows(toOffset)).containsExactly(
                List.of("ledger.previewed", "0", "3", "2", "0–3"),
                List.of("ledger.previewed", "1", "1", "2", "0–3"));
        assertThat(toOffset).contains("<input type=\"hidden\" name=\"offset\" value=\"2\">");

        // partition 0 holds timestamps 1000, 2000, 3000; partition 1 holds 1500, 2500, 3500
        String toTime = body(mvc.perform(form(post("/console/groups/previewers/reset/preview"), "topic",
                "ledger.previewed", "to", "time", "time", "1970-01-01T00:00:02")).andExpect(status().isOk()).andReturn());
        assertThat(previewRows(toTime)).extracting(r -> r.get(3)).containsExactly("1", "1");

        String fresh = body(mvc.perform(form(post("/console/groups/previewers/reset/preview"), "topic",
                "ledger.previewed", "to", "latest")).andExpect(status().isOk()).andReturn());
        assertThat(previewRows(fresh)).extracting(r -> r.get(3)).containsExactly("3", "3");

        assertThat(committed("previewers")).containsExactly(Map.entry(0, 3L), Map.entry(1, 1L));
        assertThat(groupAdmin.describe("previewers").offsets()).extracting(GroupAdmin.OffsetLag::committedOffset)
                .containsExactly(3L, 1L);
    }

    @Test
    void applyingAResetCommitsTheOffsets() throws Exception {
        ledger("ledger.reset");
        commit("resetters", "ledger.reset", Map.of(0, 3L, 1, 1L));

        mvc.perform(form(post("/console/groups/resetters/reset"), "topic", "ledger.reset", "to", "offset", "offset", "2",
                        "time", ""))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/groups/resetters"))
                .andExpect(flash().attribute("notice", "Offsets of resetters reset: ledger.reset-0 → 2, ledger.reset-1 → 2."));
        assertThat(committed("resetters")).containsExactly(Map.entry(0, 2L), Map.entry(1, 2L));

        mvc.perform(form(post("/console/groups/resetters/reset"), "topic", "ledger.reset", "to", "time", "time", "1200"))
                .andExpect(status().isFound());
        assertThat(committed("resetters")).containsExactly(Map.entry(0, 1L), Map.entry(1, 0L));

        mvc.perform(form(post("/console/groups/resetters/reset"), "topic", "ledger.reset", "to", "earliest"))
                .andExpect(status().isFound());
        assertThat(committed("resetters")).containsExactly(Map.entry(0, 0L), Map.entry(1, 0L));

        mvc.perform(get("/console/groups/resetters"))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"total-lag\">6</strong>")));
    }

    @Test
    void badResetsAreAnsweredInTheGroupPageAndChangeNothing() throws Exception {
        ledger("ledger.kept");
        commit("careful", "ledger.kept", Map.of(0, 3L, 1, 1L));

        String topic = "ledger.kept";
        assertRefused("/console/groups/careful/reset/preview", 400, "Enter the offset to reset to", "topic", topic,
                "to", "offset");
        assertRefused("/console/groups/careful/reset", 400, "Enter the offset to reset to", "topic", topic, "to", "offset");
        assertRefused("/console/groups/careful/reset", 400, "The offset must be a whole number, not 'x'", "topic", topic,
                "to", "offset", "offset", "x");
        assertRefused("/console/groups/careful/reset", 400, "The offset must not be negative: -5", "topic", topic,
                "to", "offset", "offset", "-5");
        assertRefused("/console/groups/careful/reset", 400, "'noon' is not a time", "topic", topic, "to", "time",
                "time", "noon");
        assertRefused("/console/groups/careful/reset", 400, "Enter the time to start from", "topic", topic, "to", "time");
        assertRefused("/console/groups/careful/reset", 400, "Unknown reset target 'sideways'", "topic", topic,
                "to", "sideways");
        assertRefused("/console/groups/careful/reset/preview", 404, "Topic 'gone' does not exist.", "topic", "gone");
        MvcResult noTopic = mvc.perform(form(post("/console/groups/careful/reset"), "topic", "", "to", "latest"))
                .andReturn();
        assertPageShows(noTopic, 400, "A reset needs a topic and a target (to)");

        assertThat(committed("careful")).containsExactly(Map.entry(0, 3L), Map.entry(1, 1L));
    }

    @Test
    void anActiveGroupIsShownWithItsMembersAndItsOffsetsCannotBeReset() throws Exception {
        createTopic("stream", 2);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("stream", i % 2, "k" + i, "v" + i)).get();
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger consumed = new AtomicInteger();
        CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<String, String> consumer = consumer("live-readers")) {
                consumer.subscribe(List.of("stream"));
                while (!stop.get()) {
                    int count = consumer.poll(Duration.ofMillis(50)).count();
                    if (count > 0) {
                        consumed.addAndGet(count);
                        consumer.commitSync();
                    }
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                GroupAdmin.GroupDescription group = groupAdmin.describe("live-readers");
                assertThat(group.state()).isEqualTo("Stable");
                assertThat(consumed.get()).isEqualTo(4);
                assertThat(group.offsets()).hasSize(2);
            });

            String page = body(mvc.perform(get("/console/groups/live-readers")).andExpect(status().isOk()).andReturn());
            assertThat(page).contains("id=\"group-state\">Stable</span>");
            assertThat(page).contains("<span class=\"state ok\"");
            assertThat(page).contains("id=\"members\"");
            assertThat(page).contains("<td>console-test-live-readers</td>");
            assertThat(page).contains("<span>stream</span>:\n                <span>0, 1</span>");
            assertThat(page).contains("id=\"total-lag\">0</strong>");
            assertThat(row(body(mvc.perform(get("/console/groups")).andReturn()), "/console/groups/live-readers"))
                    .contains("<td class=\"num\">1</td>");

            String conflict = "Group 'live-readers' is Stable: offsets can only be reset while the group has no members";
            assertRefused("/console/groups/live-readers/reset/preview", 409, conflict, "topic", "stream", "to", "earliest");
            MvcResult applied = assertRefused("/console/groups/live-readers/reset", 409, conflict, "topic", "stream",
                    "to", "earliest");
            assertThat(body(applied)).contains("id=\"members\"").doesNotContain("id=\"reset-preview\"");
            assertThat(committed("live-readers")).containsExactly(Map.entry(0, 2L), Map.entry(1, 2L));
        } finally {
            stop.set(true);
            polling.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLagChartDrawsFromTheHistory() throws Exception {
        ledger("ledger.charted");
        commit("charted", "ledger.charted", Map.of(0, 1L, 1, 0L));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode columns = json(mvc.perform(get("/console/api/groups/charted/lag?minutes=5"))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andReturn());
            assertThat(columns.size()).isEqualTo(2);
            assertThat(columns.has("time")).isTrue();
            assertThat(columns.path("lag").size()).isPositive().isEqualTo(columns.path("time").size());
            assertThat(columns.path("lag").get(columns.path("lag").size() - 1).asLong()).isEqualTo(5);
            double time = columns.path("time").get(0).asDouble();
            assertThat(time).isBetween(System.currentTimeMillis() / 1000.0 - 600, System.currentTimeMillis() / 1000.0 + 1);
        });

        JsonNode unknown = json(mvc.perform(get("/console/api/groups/nobody/lag")).andExpect(status().isOk()).andReturn());
        assertThat(unknown.path("time")).isEmpty();
        assertThat(unknown.path("lag")).isEmpty();
    }

    @Test
    void aGroupIdThatNeedsEncodingInTheUrl() throws Exception {
        ledger("ledger.spaced");
        commit("billing team", "ledger.spaced", Map.of(0, 1L, 1, 1L));

        String list = body(mvc.perform(get("/console/groups")).andExpect(status().isOk()).andReturn());
        assertThat(list).contains("<a href=\"/console/groups/billing%20team\">billing team</a>");
        String page = body(mvc.perform(get("/console/groups/{id}", "billing team")).andExpect(status().isOk()).andReturn());
        assertThat(page).contains("<h1>billing team</h1>")
                .contains("action=\"/console/groups/billing%20team/reset/preview\"");

        mvc.perform(form(post("/console/groups/{id}/reset", "billing team"), "topic", "ledger.spaced", "to", "latest"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/groups/billing%20team"));
        assertThat(committed("billing team")).containsExactly(Map.entry(0, 3L), Map.entry(1, 3L));
    }

    @Test
    void aPreviewOnATopicTheGroupHasNoOffsetsFor() throws Exception {
        ledger("ledger.first");
        ledger("ledger.second");
        commit("one-topic", "ledger.first", Map.of(0, 1L, 1, 1L));

        String page = body(mvc.perform(form(post("/console/groups/one-topic/reset/preview"), "topic", "ledger.second",
                "to", "earliest")).andExpect(status().isOk()).andReturn());

        assertThat(previewRows(page)).containsExactly(
                List.of("ledger.second", "0", "none", "0", "0–3"),
                List.of("ledger.second", "1", "none", "0", "0–3"));
        assertThat(page).contains("<option value=\"ledger.second\" selected=\"selected\">ledger.second</option>");
        assertThat(committed("one-topic")).containsOnlyKeys(0, 1);
    }

    @Test
    void anUnknownGroupIsA404Page() throws Exception {
        MvcResult result = mvc.perform(get("/console/groups/ghost")).andReturn();

        assertPageShows(result, 404, "Group 'ghost' does not exist.");
        assertThat(body(result)).contains("<h1>Not found</h1>");
    }

    /** A topic of two partitions with three records each: timestamps 1000, 2000, 3000 and 1500, 2500, 3500. */
    /** A share group is listed with its type, and its page shows each share-partition's start offset and backlog. */
    @Test
    void aShareGroupShowsItsTypeStartOffsetsAndBacklog() throws Exception {
        createTopic("queue.shared", 1);
        ShareGroupWork.acceptFirst(bootstrapServers(), "queue-workers", "queue.shared", 10, 4);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String page = body(mvc.perform(get("/console/groups/queue-workers")).andExpect(status().isOk()).andReturn());
            assertThat(page).contains("id=\"group-type\">share group</span>");
            assertThat(page).contains("id=\"total-lag\">6</strong>");
            assertThat(page).contains("<th class=\"num\">Start offset</th>");
            assertThat(page).contains("<td class=\"num\">4</td>").contains("<td class=\"num\">10</td>")
                    .contains("<td class=\"num lag warn\">6</td>");
            assertThat(page).contains("id=\"share-offsets-note\"").doesNotContain("id=\"reset-form\"");
        });
        String row = row(body(mvc.perform(get("/console/groups")).andExpect(status().isOk()).andReturn()),
                "/console/groups/queue-workers");
        assertThat(row).contains("<td class=\"group-type\">share</td>").contains("data-value=\"6\">6</td>");
    }

    private void ledger(String topic) throws Exception {
        createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, (i + 1) * 1_000L, "a" + i, "a" + i)).get();
                producer.send(new ProducerRecord<>(topic, 1, (i + 1) * 1_000L + 500, "b" + i, "b" + i)).get();
            }
        }
    }

    /** Commits offsets for a group without members, as kafka-consumer-groups --reset-offsets does. */
    private void commit(String group, String topic, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(clientConfig())) {
            admin.alterConsumerGroupOffsets(group, commits).all().get(10, TimeUnit.SECONDS);
        }
    }

    /** The group's committed offsets by partition, as a Kafka admin client reads them. */
    private Map<Integer, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(clientConfig())) {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((tp, offset) -> offsets.put(tp.partition(), offset.offset()));
            return offsets;
        }
    }

    private MvcResult assertRefused(String path, int status, String message, String... form) throws Exception {
        MvcResult result = mvc.perform(form(post(path), form)).andReturn();
        assertPageShows(result, status, message);
        assertThat(body(result)).contains("id=\"reset-form\"");
        return result;
    }

    /** The cells of the preview table, row by row. */
    private static List<List<String>> previewRows(String page) {
        int section = page.indexOf("id=\"reset-preview\"");
        assertThat(section).as("a preview").isNotNegative();
        String table = page.substring(page.indexOf("<tbody>", section), page.indexOf("</tbody>", section));
        return java.util.regex.Pattern.compile("<tr>(.*?)</tr>", java.util.regex.Pattern.DOTALL).matcher(table).results()
                .map(row -> java.util.regex.Pattern.compile("<td[^>]*>(?:<strong>)?([^<]*)").matcher(row.group(1)).results()
                        .map(cell -> cell.group(1).strip()).toList())
                .toList();
    }

    /** The table row that links to {@code href}. */
    private static String row(String page, String href) {
        int link = page.indexOf("data-href=\"" + href + "\"");
        assertThat(link).as("a row for %s", href).isNotNegative();
        return page.substring(link, page.indexOf("</tr>", link));
    }

    private static JsonNode json(MvcResult result) {
        return JSON.readTree(body(result));
    }

    private KafkaConsumer<String, String> consumer(String groupId) {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-test-" + groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config);
    }
}
