package io.tributary.broker.admin.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.tributary.broker.config.BrokerConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real browser — Debian's Chromium, headless, driven by Selenium through its
 * chromedriver — against a real broker, with the official Kafka clients producing and consuming
 * beside it. Each test leaves a screenshot under {@code target/console-screenshots/}. Skipped, with
 * the reason, where no Chromium or chromedriver is installed ({@code .ci/run} installs both).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final Path dataDir = freshDirectory("console-browser-test-");

    private static WebDriver browser;

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", dataDir::toString);
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.group.initial-rebalance-delay", () -> "0ms");
        // Charts and live tables move within the test's patience.
        registry.add("tributary.console.sample-interval", () -> "500ms");
        registry.add("tributary.console.refresh-interval", () -> "1s");
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    BrokerConfiguration.KafkaListener kafkaListener;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start(freshDirectory("chromium-profile-"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void createsATopicInTheUiAndShowsRecordsProducedWithKafkaClients(TestInfo test) {
        open("/console/topics");
        browser.findElement(By.name("name")).sendKeys("ui-created");
        browser.findElement(By.name("partitions")).sendKeys("2");
        browser.findElement(By.name("configs")).sendKeys("retention.ms=86400000");
        browser.findElement(By.cssSelector("#create-topic button[type=submit]")).click();

        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "ui-created"));
        assertThat(text(".notice")).contains("Topic ui-created created with 2 partition(s)");
        assertThat(browser.findElements(By.cssSelector("#partitions tbody tr"))).hasSize(2);
        assertThat(browser.findElement(By.id("config-retention.ms")).getAttribute("value")).isEqualTo("86400000");

        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 30; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>("ui-created", 0, "key-" + i,
                        "{\"n\":" + i + ",\"text\":\"hello " + i + "\"}");
                record.headers().add(new RecordHeader("source", "kafka-clients".getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }

        open("/console/topics/ui-created/messages?partition=0&from=newest&limit=10");
        List<WebElement> rows = browser.findElements(By.cssSelector("#records tbody tr"));
        assertThat(rows).hasSize(10);
        assertThat(rows.get(9).getText()).contains("29", "key-29", "\"text\" : \"hello 29\"", "source: kafka-clients");

        // Filter by a substring of the value, from the earliest record.
        new Select(browser.findElement(By.name("from"))).selectByValue("earliest");
        WebElement contains = browser.findElement(By.name("contains"));
        contains.clear();
        contains.sendKeys("hello 7");
        browser.findElement(By.cssSelector("#browse-form button[type=submit]")).click();
        waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#records tbody tr"), 1));
        assertThat(text("#records tbody tr")).contains("key-7");

        // Produce from the UI; a kafka-clients consumer reads it back.
        open("/console/topics/ui-created/messages");
        browser.findElement(By.cssSelector("#produce-form [name=partition]")).sendKeys("1");
        browser.findElement(By.cssSelector("#produce-form [name=key]")).sendKeys("from-the-ui");
        browser.findElement(By.cssSelector("#produce-form [name=value]")).sendKeys("typed in a browser");
        browser.findElement(By.cssSelector("#produce-form [name=headers]")).sendKeys("origin=console");
        browser.findElement(By.cssSelector("#produce-form button[type=submit]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
                "Produced to partition 1 at offset 0"));
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            TopicPartition partition = new TopicPartition("ui-created", 1);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            var records = await().atMost(UI_TIMEOUT).until(() -> consumer.poll(Duration.ofMillis(200)), r -> !r.isEmpty());
            var record = records.iterator().next();
            assertThat(record.key()).isEqualTo("from-the-ui");
            assertThat(record.value()).isEqualTo("typed in a browser");
            assertThat(new String(record.headers().lastHeader("origin").value(), StandardCharsets.UTF_8)).isEqualTo("console");
        }
        screenshot(test);
        assertNoHorizontalScroll();
    }

    @Test
    void showsAGroupsLagFallToZeroAsItsConsumerCatchesUp(TestInfo test) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
                KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic("lagging", 1, (short) 1))).all().get();
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>("lagging", "k" + i, "v" + i));
            }
            producer.flush();
            admin.alterConsumerGroupOffsets("catching-up",
                    Map.of(new TopicPartition("lagging", 0), new OffsetAndMetadata(0))).all().get();
        }
        open("/console/groups");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("groups"), "catching-up"));
        browser.findElement(By.linkText("catching-up")).click();
        waitFor(ExpectedConditions.textToBe(By.id("total-lag"), "500"));

        try (KafkaConsumer<String, String> consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "catching-up",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50))) {
            consumer.subscribe(List.of("lagging"));
            long consumed = 0;
            while (consumed < 500) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
                consumer.commitSync();
            }
            // The page refreshes itself (htmx): no reload here.
            waitFor(ExpectedConditions.textToBe(By.id("total-lag"), "0"));
            assertThat(text("#group-state")).isEqualTo("Stable");
            assertThat(text("#members")).contains("lagging: 0");
        }
        // The lag chart has drawn the fall from 500.
        waitFor(ExpectedConditions.attributeToBe(By.cssSelector("figure.chart"), "data-drawn", "true"));
        screenshot(test);
        assertNoHorizontalScroll();
    }

    @Test
    void followsAnOrderIdThroughTheDemosTopics(TestInfo test) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
                KafkaProducer<String, String> producer = producer()) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1), new NewTopic("payments", 3, (short) 1),
                    new NewTopic("invoices", 3, (short) 1))).all().get();
            // Steps a few milliseconds apart, as in the demo: the timeline orders by time, and sends within one
            // millisecond would tie.
            long start = System.currentTimeMillis() - 60_000;
            for (int order = 1; order <= 20; order++) {
                String id = "order-" + order;
                long at = start + order * 100L;
                send(producer, "orders", id, at, "OrderCreated", "{\"orderId\":\"" + id + "\",\"total\":42.00}");
                send(producer, "payments", id, at + 10, "PaymentProcessed", "{\"orderId\":\"" + id + "\",\"paymentId\":\"p-" + order + "\"}");
                send(producer, "invoices", id, at + 20, "InvoiceIssued", "{\"orderId\":\"" + id + "\",\"invoiceId\":\"i-" + order + "\"}");
            }
        }
        open("/console/follow");
        browser.findElement(By.name("key")).sendKeys("order-7");
        for (WebElement box : browser.findElements(By.cssSelector("#follow-form input[name=topic]"))) {
            boolean wanted = List.of("orders", "payments", "invoices").contains(box.getAttribute("value"));
            if (box.isSelected() != wanted) {
                box.click();
            }
        }
        browser.findElement(By.cssSelector("#follow-form button[type=submit]")).click();

        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        List<String> events = browser.findElements(By.cssSelector("#timeline .event")).stream().map(WebElement::getText).toList();
        assertThat(events).containsExactly("OrderCreated", "PaymentProcessed", "InvoiceIssued");
        assertThat(browser.findElements(By.cssSelector("#timeline .gap"))).hasSize(2);
        assertThat(text("#timeline")).contains("\"orderId\" : \"order-7\"", "\"total\" : 42.00").doesNotContain("order-17");
        screenshot(test);
        assertNoHorizontalScroll();
    }

    @Test
    void overviewDrawsLiveChartsAndTablesSortFromTheKeyboard(TestInfo test) {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("traffic", "k" + i, "v".repeat(100)));
            }
            producer.flush();
        }
        open("/console");
        assertThat(text("#brokers")).contains("alive", "controller", "this broker");
        waitFor(ExpectedConditions.attributeToBe(By.cssSelector("figure.chart"), "data-drawn", "true"));
        screenshot(test);
        assertNoHorizontalScroll();

        open("/console/topics");
        WebElement nameHeader = browser.findElement(By.cssSelector("#topics thead th"));
        nameHeader.sendKeys(org.openqa.selenium.Keys.ENTER);
        assertThat(nameHeader.getAttribute("aria-sort")).isEqualTo("ascending");
        nameHeader.sendKeys(org.openqa.selenium.Keys.ENTER);
        assertThat(nameHeader.getAttribute("aria-sort")).isEqualTo("descending");
        List<String> names = browser.findElements(By.cssSelector("#topics tbody tr:not(.hidden) td:first-child a"))
                .stream().map(WebElement::getText).toList();
        assertThat(names).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        browser.findElement(By.id("topic-search")).sendKeys("traff");
        assertThat(browser.findElements(By.cssSelector("#topics tbody tr")).stream().filter(WebElement::isDisplayed)
                .map(WebElement::getText).toList()).singleElement().asString().startsWith("traffic");
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String type, String value)
            throws Exception {
        send(producer, topic, key, null, type, value);
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, Long timestamp, String type,
            String value) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, timestamp, key, value);
        record.headers().add(new RecordHeader("tributary-event-type", type.getBytes(StandardCharsets.UTF_8)));
        producer.send(record).get();
    }

    private void open(String path) {
        browser.get("http://localhost:" + httpPort + path);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static <T> void waitFor(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        new WebDriverWait(browser, UI_TIMEOUT).until(condition);
    }

    /** The console is meant for 1280×800: no page may need horizontal scrolling there. */
    private static void assertNoHorizontalScroll() {
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow at 1280x800 of %s", browser.getCurrentUrl())
                .isLessThanOrEqualTo(0);
    }

    private static void screenshot(TestInfo test) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String bootstrapServers() {
        return "localhost:" + kafkaListener.port();
    }

    private KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers());
        config.put("linger.ms", 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(Map<String, Object> overrides) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers());
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", "earliest");
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Path freshDirectory(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
