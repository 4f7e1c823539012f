package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.nio.charset.StandardCharsets;
import java.util.List;
import io.tributary.broker.admin.service.RecordBrowser;
import io.tributary.broker.admin.service.RecordBrowser.BrowseRequest;
import io.tributary.broker.admin.service.RecordBrowser.RecordView;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesPageTest extends ConsoleTestSupport {

    private static final String TOPIC = "browsed";

    @Autowired
    RecordBrowser records;

    /**
     * Five records at 1000..5000 ms: keys k-a, k-b, k-a, k-c, k-b; values alpha-0, beta-1, alpha-2,
     * gamma-3, beta-4; headers trace=t1 (offset 1), trace=t3 (offset 3), region=eu (offset 4).
     */
    @BeforeAll
    void fiveRecords() throws Exception {
        createTopic(TOPIC, 1);
        String[] keys = {"k-a", "k-b", "k-a", "k-c", "k-b"};
        String[] values = {"alpha-0", "beta-1", "alpha-2", "gamma-3", "beta-4"};
        List<List<Header>> headers = List.of(List.of(), List.of(header("trace", "t1")), List.of(),
                List.of(header("trace", "t3")), List.of(header("region", "eu")));
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, (i + 1) * 1_000L, keys[i], values[i], headers.get(i))).get();
            }
        }
    }

    @Test
    void newestRecordsByDefault() throws Exception {
        MvcResult result = mvc.perform(get("/console/topics/browsed/messages"))
                .andExpect(status().isOk())
                .andExpect(view().name("console/messages"))
                .andReturn();

        String page = body(result);
        assertThat(shownValues(page)).containsExactly("alpha-0", "beta-1", "alpha-2", "gamma-3", "beta-4");
        assertThat(page).contains("readable offsets\n            <span>0</span>–<span>5</span>");
        assertThat(page).contains("<code>k-c</code>").contains("<code>trace</code>:").contains("<span>t3</span>");
        assertThat(page).contains("1970-01-01 00:00:04.000Z");
        assertThat(page).doesNotContain("id=\"next-page\"");
        assertThat(page).contains("id=\"produce-form\"");

        assertThat(shownValues(browse("from=newest&limit=2"))).containsExactly("gamma-3", "beta-4");
    }

    @Test
    void theBrowseFormAsABrowserSubmitsItWithEmptyFields() throws Exception {
        String page = browse("partition=&from=earliest&offset=&time=&limit=&key=&header=&contains=");

        assertThat(shownValues(page)).containsExactly("alpha-0", "beta-1", "alpha-2", "gamma-3", "beta-4");
        assertThat(page).contains("name=\"limit\" type=\"number\" min=\"1\" max=\"500\" value=\"50\"");
        assertThat(page).contains("<option value=\"earliest\" selected=\"selected\">earliest</option>");
    }

    @Test
    void fromTheEarliestPageByPage() throws Exception {
        String first = browse("from=earliest&limit=2");
        assertThat(shownValues(first)).containsExactly("alpha-0", "beta-1");
        assertThat(nextPage(first)).isEqualTo(
                "/console/topics/browsed/messages?partition=0&amp;from=offset&amp;offset=2&amp;limit=2&amp;key=&amp;header=&amp;contains=");

        String second = browse("partition=0&from=offset&offset=2&limit=2");
        assertThat(shownValues(second)).containsExactly("alpha-2", "gamma-3");
        assertThat(nextPage(second)).contains("from=offset&amp;offset=4&amp;limit=2&amp;");

        String last = browse("partition=0&from=offset&offset=4&limit=2");
        assertThat(shownValues(last)).containsExactly("beta-4");
        assertThat(last).doesNotContain("id=\"next-page\"");

        String atTheEnd = browse("from=offset&offset=5");
        assertThat(shownValues(atTheEnd)).isEmpty();
        assertThat(atTheEnd).contains("id=\"no-records\">No records here.");
    }

    @Test
    void fromATime() throws Exception {
        assertThat(shownValues(browse("from=time&time=1970-01-01T00:00:02.500"))).containsExactly("alpha-2", "gamma-3", "beta-4");
        assertThat(shownValues(browse("from=time&time=1970-01-01T00:00:04Z"))).containsExactly("gamma-3", "beta-4");
        assertThat(shownValues(browse("from=time&time=4001"))).containsExactly("beta-4");
        assertThat(shownValues(browse("from=time&time=99999"))).isEmpty();
        assertThat(browse("from=time&time=1970-01-01T00:00:02.500")).contains("value=\"1970-01-01T00:00:02.500\"");
    }

    @Test
    void filters() throws Exception {
        assertThat(shownValues(browse("from=earliest&key=k-a"))).containsExactly("alpha-0", "alpha-2");
        assertThat(shownValues(browse("from=earliest&header=trace"))).containsExactly("beta-1", "gamma-3");
        assertThat(shownValues(browse("from=earliest&header=trace=t3"))).containsExactly("gamma-3");
        assertThat(shownValues(browse("from=earliest&contains=beta"))).containsExactly("beta-1", "beta-4");
        assertThat(shownValues(browse("from=newest&key=k-b&limit=1"))).containsExactly("beta-4");
        assertThat(shownValues(browse("key=k-b&header=region&contains=beta"))).containsExactly("beta-4");

        String firstMatch = browse("from=earliest&key=k-a&limit=1");
        assertThat(shownValues(firstMatch)).containsExactly("alpha-0");
        assertThat(nextPage(firstMatch)).endsWith("from=offset&amp;offset=1&amp;limit=1&amp;key=k-a&amp;header=&amp;contains=");
        assertThat(shownValues(browse("from=offset&offset=1&limit=1&key=k-a"))).containsExactly("alpha-2");

        String none = browse("from=earliest&key=nobody");
        assertThat(shownValues(none)).isEmpty();
        assertThat(none).contains("No records here<span> match the filter</span>.");
        assertThat(none).contains("<span>0</span> shown of <span>5</span> looked at.");
    }

    @Test
    void badBrowseParametersAreAnsweredInThePage() throws Exception {
        MvcResult negative = mvc.perform(get("/console/topics/browsed/messages?from=offset&offset=-1")).andReturn();
        assertPageShows(negative, 400, "The offset must not be negative: -1");
        assertThat(body(negative)).contains("id=\"browse-form\"").contains("name=\"offset\" type=\"number\" value=\"-1\"");

        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=offset&offset=6")).andReturn(), 400,
                "Offset 6 is outside the readable range [0, 5] of browsed-0");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=offset")).andReturn(), 400,
                "Enter the offset to start from");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=offset&offset=two")).andReturn(), 400,
                "The offset must be a whole number, not 'two'");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?partition=abc")).andReturn(), 400,
                "'abc' is not a valid partition");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?partition=3")).andReturn(), 400,
                "Partition 3 does not exist: browsed has 1 partition(s)");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?limit=0")).andReturn(), 400,
                "The limit must be between 1 and 500");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?limit=1000")).andReturn(), 400,
                "The limit must be between 1 and 500");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?limit=lots")).andReturn(), 400,
                "'lots' is not a valid limit");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=time&time=yesterday")).andReturn(), 400,
                "'yesterday' is not a time: use 2026-12-02T10:15:00 (UTC) or epoch milliseconds");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=time")).andReturn(), 400,
                "Enter the time to start from");
        assertPageShows(mvc.perform(get("/console/topics/browsed/messages?from=sideways")).andReturn(), 400,
                "Start from newest, earliest, an offset or a time, not 'sideways'");

        MvcResult unknown = mvc.perform(get("/console/topics/no-such-topic/messages")).andReturn();
        assertPageShows(unknown, 404, "Topic 'no-such-topic' does not exist.");
        assertThat(body(unknown)).contains("<h1>Not found</h1>");
    }

    @Test
    void producingARecordShowsWhereItWentAndTheRecord() throws Exception {
        createTopic("produced", 3);
        int partition = RecordBrowser.partitionForKey("order-7", 3);

        MvcResult result = mvc.perform(form(post("/console/topics/produced/messages"), "partition", "", "key",
                "order-7", "value", "hello console", "headers", "trace=abc\nsource = console")).andReturn();

        String page = body(result);
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(page).contains("<p class=\"notice\" role=\"status\">Produced to partition " + partition
                + " at offset 0.</p>");
        assertThat(page).contains("Partition <span>" + partition + "</span>: readable offsets");
        assertThat(shownValues(page)).containsExactly("hello console");
        assertThat(page).contains("<code>order-7</code>").contains("<code>source</code>:\n                    <span>console</span>");
        // the value is cleared for the next record; key and headers stay
        assertThat(page).contains("<textarea name=\"value\" rows=\"4\"></textarea>");
        assertThat(page).contains("name=\"key\" value=\"order-7\" placeholder=\"none\"");

        List<RecordView> stored = records.browse("produced", partition, BrowseRequest.from(0L, 10)).records();
        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("order-7");
            assertThat(r.value()).isEqualTo("hello console");
            assertThat(r.header("trace")).isEqualTo("abc");
            assertThat(r.header("source")).isEqualTo("console");
        });

        MvcResult chosen = mvc.perform(form(post("/console/topics/produced/messages"), "partition", "2", "value",
                "{\"id\":1,\"items\":[\"a\"]}")).andReturn();
        assertThat(body(chosen)).contains("Produced to partition 2 at offset " + (partition == 2 ? 1 : 0) + ".");
        // a JSON value is shown indented
        assertThat(body(chosen)).contains("<pre>{\n  &quot;id&quot; : 1,");
    }

    @Test
    void aRefusedProduceIsShownWithTheFormAsFilled() throws Exception {
        createTopic("unproduced", 2);

        MvcResult badHeader = mvc.perform(form(post("/console/topics/unproduced/messages"), "key", "k1", "value",
                "kept value", "headers", "trace=1\nnonsense")).andReturn();
        assertPageShows(badHeader, 400, "A header line reads name=value: 'nonsense'");
        String page = body(badHeader);
        assertThat(page).contains("id=\"produce-error\"");
        assertThat(page).contains("<textarea name=\"value\" rows=\"4\">kept value</textarea>");
        assertThat(page).contains("trace=1\nnonsense</textarea>");

        MvcResult outOfRange = mvc.perform(form(post("/console/topics/unproduced/messages"), "partition", "7",
                "value", "v")).andReturn();
        assertPageShows(outOfRange, 404, "Partition 7 of topic 'unproduced' does not exist.");
        assertThat(body(outOfRange)).contains("id=\"produce-error\"").contains("name=\"partition\" type=\"number\" min=\"0\" value=\"7\"");

        assertPageShows(mvc.perform(form(post("/console/topics/unproduced/messages"), "partition", "first",
                "value", "v")).andReturn(), 400, "The partition must be a whole number, not 'first'");

        assertThat(topicAdmin.describe("unproduced").records()).isZero();

        assertPageShows(mvc.perform(form(post("/console/topics/not-there/messages"), "value", "v")).andReturn(), 404,
                "Topic 'not-there' does not exist.");
        assertThat(topicAdmin.find("not-there")).isEmpty();
    }

    @Test
    void recordsAreShownAsTextNeverAsMarkup() throws Exception {
        createTopic("escaped", 1);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("escaped", 0, "<b>key</b>", "<script>alert('value')</script>",
                    List.of(header("<i>h</i>", "\"quoted\"")))).get();
        }

        String page = body(mvc.perform(get("/console/topics/escaped/messages")).andExpect(status().isOk()).andReturn());

        assertThat(page).contains("<code>&lt;b&gt;key&lt;/b&gt;</code>")
                .contains("<pre>&lt;script&gt;alert(&#39;value&#39;)&lt;/script&gt;</pre>")
                .contains("<code>&lt;i&gt;h&lt;/i&gt;</code>").contains("&quot;quoted&quot;");
        assertThat(page).doesNotContain("<script>alert").doesNotContain("<b>key</b>");
    }

    @Test
    void bytesThatAreNotTextAreShownInBase64() throws Exception {
        createTopic("binary", 1);
        java.util.Map<String, Object> config = clientConfig();
        config.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        config.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>("binary", 0, null, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})).get();
            producer.send(new ProducerRecord<byte[], byte[]>("binary", 0, "gone".getBytes(StandardCharsets.UTF_8), null)).get();
        }

        String page = body(mvc.perform(get("/console/topics/binary/messages")).andExpect(status().isOk()).andReturn());

        assertThat(shownValues(page)).containsExactly("//4AAQ==");
        assertThat(page).contains("<span class=\"tag\">base64</span>");
        assertThat(page).contains("<span class=\"muted\">null</span>");
        assertThat(page).contains("<span class=\"muted\">null (tombstone)</span>");
    }

    private String browse(String query) throws Exception {
        MvcResult result = mvc.perform(get("/console/topics/browsed/messages?" + query)).andReturn();
        assertThat(result.getResponse().getStatus()).as("%s: %s", query, body(result)).isEqualTo(200);
        return body(result);
    }

    /** The href of the next-page link. */
    private static String nextPage(String page) {
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("<a href=\"([^\"]*)\"\\s+id=\"next-page\"").matcher(page);
        assertThat(link.find()).as("a next-page link").isTrue();
        return link.group(1);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
