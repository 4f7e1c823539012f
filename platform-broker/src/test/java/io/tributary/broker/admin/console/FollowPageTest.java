package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.nio.charset.StandardCharsets;
import java.util.List;
import io.tributary.broker.admin.service.RecordBrowser;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.web.servlet.MvcResult;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowPageTest extends ConsoleTestSupport {

    /**
     * Order 42 is created at 10 000 ms and invoiced at 12 500 ms; order 43 only created; the keys go to
     * the partitions Kafka's producer chooses.
     */
    @BeforeAll
    void anOrdersJourney() throws Exception {
        createTopic("follow.orders", 3);
        createTopic("follow.invoices", 2);
        createTopic("follow.orders.DLT", 1);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("follow.invoices", null, 12_500L, "order-42", "{\"invoice\":7}",
                    List.of(eventType("InvoiceIssued")))).get();
            producer.send(new ProducerRecord<>("follow.orders", null, 10_000L, "order-42", "{\"order\":42}",
                    List.of(eventType("OrderCreated")))).get();
            producer.send(new ProducerRecord<>("follow.orders", null, 11_000L, "order-43", "{\"order\":43}",
                    List.of(eventType("OrderCreated")))).get();
        }
    }

    @Test
    void withoutAKeyTheFormListsTheTopics() throws Exception {
        String page = body(mvc.perform(get("/console/follow"))
                .andExpect(status().isOk())
                .andExpect(view().name("console/follow"))
                .andReturn());

        assertThat(page).contains("id=\"follow-form\"");
        assertThat(checkbox(page, "follow.orders")).contains("checked");
        assertThat(checkbox(page, "follow.invoices")).contains("checked");
        // dead-letter topics are offered but not chosen by default; internal topics are not offered
        assertThat(checkbox(page, "follow.orders.DLT")).doesNotContain("checked");
        assertThat(page).doesNotContain("value=\"__consumer_offsets\"");
        assertThat(page).doesNotContain("id=\"timeline-section\"");
    }

    @Test
    void aKeyIsFollowedAcrossTopicsInTimeOrder() throws Exception {
        String page = follow("key=order-42&topic=follow.orders&topic=follow.invoices");

        assertThat(page).contains("id=\"timeline\"");
        assertThat(page).contains("<span>2</span> <span>records</span> over\n                <span>2.5 s</span>");
        assertThat(page).contains("+ <span>2.5 s</span>");
        int created = page.indexOf("<strong class=\"event\">OrderCreated</strong>");
        int invoiced = page.indexOf("<strong class=\"event\">InvoiceIssued</strong>");
        assertThat(created).isPositive();
        assertThat(invoiced).isGreaterThan(created);
        int partition = RecordBrowser.partitionForKey("order-42", 3);
        assertThat(page).contains("href=\"/console/topics/follow.orders/messages?partition=" + partition
                + "&amp;from=offset&amp;offset=0&amp;limit=1\">follow.orders-" + partition + " @ 0</a>");
        assertThat(page).contains("1970-01-01 00:00:12.500Z");
        assertThat(page).contains("&quot;order&quot; : 42").doesNotContain("&quot;order&quot; : 43");
        assertThat(page).contains("value=\"order-42\"");
        assertThat(checkbox(page, "follow.orders.DLT")).doesNotContain("checked");
        assertThat(page).doesNotContain("No such topic");

        String oneTopic = follow("key=order-42&topic=follow.invoices");
        assertThat(oneTopic).contains("<span>1</span> <span>record</span> over").contains("InvoiceIssued")
                .doesNotContain("OrderCreated");
        assertThat(checkbox(oneTopic, "follow.orders")).doesNotContain("checked");
    }

    @Test
    void aMissingTopicIsNamedAndTheOthersAreStillFollowed() throws Exception {
        String page = follow("key=order-42&topic=follow.orders&topic=follow.nowhere");

        assertThat(page).contains("No such topic:\n            <span>follow.nowhere</span>");
        assertThat(page).contains("<span>1</span> <span>record</span> over").contains("OrderCreated");
    }

    @Test
    void aKeyWithNoRecords() throws Exception {
        String page = follow("key=order-99&topic=follow.orders&topic=follow.invoices");

        assertThat(page).contains("id=\"no-steps\">No record with key <code>order-99</code>");
        assertThat(page).contains("<span>follow.orders, follow.invoices</span>");
        assertThat(page).doesNotContain("id=\"timeline\"");
    }

    @Test
    void aBlankKeyOrOnlyBlankTopicsAreRefusedInThePage() throws Exception {
        MvcResult blank = mvc.perform(get("/console/follow").param("key", " ").param("topic", "follow.orders")).andReturn();
        assertPageShows(blank, 400, "Enter a key to follow");
        assertThat(body(blank)).contains("id=\"follow-form\"");

        assertPageShows(mvc.perform(get("/console/follow").param("key", "order-42").param("topic", " ", "")).andReturn(),
                400, "Choose at least one topic");
    }

    private String follow(String query) throws Exception {
        MvcResult result = mvc.perform(get("/console/follow?" + query)).andReturn();
        assertThat(result.getResponse().getStatus()).as("%s: %s", query, body(result)).isEqualTo(200);
        assertNoStackTrace(body(result));
        return body(result);
    }

    /** The topic's checkbox, its attributes on one line. */
    private static String checkbox(String page, String topic) {
        int value = page.indexOf("value=\"" + topic + "\"");
        assertThat(value).as("a checkbox for %s", topic).isNotNegative();
        int start = page.lastIndexOf("<input", value);
        return page.substring(start, page.indexOf('>', value) + 1).replaceAll("\\s+", " ");
    }

    private static Header eventType(String type) {
        return new RecordHeader("tributary-event-type", type.getBytes(StandardCharsets.UTF_8));
    }
}
