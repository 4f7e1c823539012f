package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.util.Map;
import io.tributary.broker.admin.service.TopicAdmin.ConfigEntry;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class TopicsPageTest extends ConsoleTestSupport {

    @Test
    void theListShowsTopicsAndTheCreateForm() throws Exception {
        createTopic("listed", 2);

        String page = body(mvc.perform(get("/console/topics"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(view().name("console/topics"))
                .andReturn());

        assertThat(page).contains("<a href=\"/console/topics/listed\">listed</a>");
        assertThat(page).contains("id=\"create-topic\"");
        assertThat(page).contains("<title>Topics · Tributary Console</title>");
    }

    @Test
    void creatingATopicRedirectsToItWithANotice() throws Exception {
        mvc.perform(form(post("/console/topics"), "name", "created", "partitions", "3", "replicationFactor", "1",
                        "configs", "retention.ms=60000\n# a comment\n\ncleanup.policy=compact"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/topics/created"))
                .andExpect(flash().attribute("notice", "Topic created created with 3 partition(s)."));

        assertThat(topicAdmin.describe("created").partitions()).hasSize(3);
        assertThat(config("created", "retention.ms")).extracting(ConfigEntry::value, ConfigEntry::source)
                .containsExactly("60000", "topic");
        assertThat(config("created", "cleanup.policy").value()).isEqualTo("compact");

        // the notice is shown once on the page the redirect leads to
        MvcResult redirected = mvc.perform(form(post("/console/topics"), "name", "created.too")).andReturn();
        mvc.perform(get(redirected.getResponse().getRedirectedUrl()).flashAttrs(redirected.getFlashMap()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<p class=\"notice\" role=\"status\">Topic created.too created with")));
    }

    @Test
    void aRefusedCreateIsShownInTheListWithTheFormAsFilled() throws Exception {
        createTopic("taken", 1);

        MvcResult invalidName = mvc.perform(form(post("/console/topics"), "name", "bad name!", "partitions", "2",
                "configs", "retention.ms=1000")).andReturn();
        assertPageShows(invalidName, 400, "Topic name is invalid: 'bad name!' contains one or more characters");
        assertThat(body(invalidName)).contains("value=\"bad name!\"").contains(">retention.ms=1000</textarea>")
                .contains("id=\"create-topic\"");

        MvcResult duplicate = mvc.perform(form(post("/console/topics"), "name", "taken", "partitions", "4")).andReturn();
        assertPageShows(duplicate, 409, "Topic 'taken' already exists.");
        assertThat(body(duplicate)).contains("value=\"taken\"").contains("value=\"4\"");

        MvcResult badPartitions = mvc.perform(form(post("/console/topics"), "name", "fine", "partitions", "abc"))
                .andReturn();
        assertPageShows(badPartitions, 400, "Partitions must be a whole number, not 'abc'");
        assertThat(body(badPartitions)).contains("value=\"abc\"");

        MvcResult zeroPartitions = mvc.perform(form(post("/console/topics"), "name", "fine", "partitions", "0"))
                .andReturn();
        assertPageShows(zeroPartitions, 400, "Number of partitions must be larger than 0.");

        MvcResult badValue = mvc.perform(form(post("/console/topics"), "name", "fine", "configs", "retention.ms=abc"))
                .andReturn();
        assertPageShows(badValue, 400, "Invalid value abc for configuration retention.ms");
        assertThat(body(badValue)).contains(">retention.ms=abc</textarea>");

        MvcResult unknownConfig = mvc.perform(form(post("/console/topics"), "name", "fine", "configs", "no.such.config=1"))
                .andReturn();
        assertPageShows(unknownConfig, 400, "Unknown topic config name: no.such.config");

        MvcResult badLine = mvc.perform(form(post("/console/topics"), "name", "fine", "configs", "retention.ms"))
                .andReturn();
        assertPageShows(badLine, 400, "A config line reads name=value: 'retention.ms'");

        MvcResult noName = mvc.perform(form(post("/console/topics"), "name", "  ")).andReturn();
        assertPageShows(noName, 400, "A topic needs a name");

        assertThat(topicAdmin.find("fine")).isEmpty();
        assertThat(topicAdmin.find("bad name!")).isEmpty();
        assertThat(topicAdmin.describe("taken").partitions()).hasSize(1);
    }

    @Test
    void theTopicPageShowsPartitionsAndConfigs() throws Exception {
        createTopic("described", 3);
        topicAdmin.changeConfigs("described", new io.tributary.broker.admin.service.TopicAdmin.ConfigChange(
                Map.of("retention.ms", "123456"), null));

        String page = body(mvc.perform(get("/console/topics/described"))
                .andExpect(status().isOk())
                .andExpect(view().name("console/topic"))
                .andReturn());

        assertThat(page).contains("<h1>described</h1>");
        assertThat(page).contains("id <code>" + topicAdmin.describe("described").id() + "</code>");
        assertThat(page).contains("href=\"/console/topics/described/messages?partition=2\"");
        assertThat(page).doesNotContain("href=\"/console/topics/described/messages?partition=3\"");
        assertThat(input(page, "retention.ms")).contains("value=\"123456\"");
        assertThat(input(page, "segment.ms")).contains("name=\"config:segment.ms\"");
        assertThat(page).contains("<span class=\"tag override\">topic</span>");
        assertThat(page).doesNotContain("class=\"invalid\"");
    }

    @Test
    void changingConfigsSavesThemAndShowsTheNewValue() throws Exception {
        createTopic("tuned", 1);

        mvc.perform(form(post("/console/topics/tuned/configs"), "config:retention.ms", "5000",
                        "config:segment.ms", config("tuned", "segment.ms").value()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/topics/tuned"))
                .andExpect(flash().attribute("notice", "Configs of tuned saved: retention.ms=5000."));

        assertThat(config("tuned", "retention.ms")).extracting(ConfigEntry::value, ConfigEntry::source)
                .containsExactly("5000", "topic");
        assertThat(input(body(mvc.perform(get("/console/topics/tuned")).andExpect(status().isOk()).andReturn()),
                "retention.ms")).contains("value=\"5000\"").doesNotContain("invalid\"");

        mvc.perform(form(post("/console/topics/tuned/configs"), "config:retention.ms", "5000"))
                .andExpect(status().isFound())
                .andExpect(flash().attribute("notice", "No config changed."));

        mvc.perform(form(post("/console/topics/tuned/configs"), "config:retention.ms", ""))
                .andExpect(status().isFound())
                .andExpect(flash().attribute("notice", "Configs of tuned saved: retention.ms reset to default."));
        assertThat(config("tuned", "retention.ms").source()).isEqualTo("default");
    }

    @Test
    void anInvalidConfigValueIsMarkedNextToItsFieldAndNothingChanges() throws Exception {
        createTopic("picky", 1);
        String retentionBefore = config("picky", "retention.ms").value();

        MvcResult refused = mvc.perform(form(post("/console/topics/picky/configs"), "config:retention.ms", "abc",
                "config:segment.ms", "60000")).andReturn();

        assertPageShows(refused, 400, "Invalid value abc for configuration retention.ms");
        String page = body(refused);
        assertThat(input(page, "retention.ms")).contains("value=\"abc\"").contains("class=\"invalid\"")
                .contains("aria-invalid=\"true\"");
        assertThat(page).contains("<span class=\"field-error\">Invalid value abc for configuration retention.ms");
        // the other field keeps what was typed, and is not marked
        assertThat(input(page, "segment.ms")).contains("value=\"60000\"").contains("aria-invalid=\"false\"")
                .doesNotContain("class=\"invalid\"");
        assertThat(page).containsOnlyOnce("class=\"invalid\"");
        assertThat(config("picky", "retention.ms").value()).isEqualTo(retentionBefore);
        assertThat(config("picky", "segment.ms").source()).isEqualTo("default");
    }

    @Test
    void onlyTheFieldTheErrorIsAboutIsMarkedInvalid() throws Exception {
        // delete.retention.ms contains the name retention.ms: only the former is wrong
        createTopic("nested.names", 1);

        MvcResult refused = mvc.perform(form(post("/console/topics/nested.names/configs"),
                "config:delete.retention.ms", "abc")).andReturn();

        assertPageShows(refused, 400, "Invalid value abc for configuration delete.retention.ms");
        String page = body(refused);
        assertThat(input(page, "delete.retention.ms")).contains("value=\"abc\"").contains("class=\"invalid\"");
        assertThat(input(page, "retention.ms")).doesNotContain("class=\"invalid\"");
        assertThat(page).containsOnlyOnce("class=\"invalid\"");
    }

    @Test
    void addingPartitions() throws Exception {
        createTopic("growing", 2);

        mvc.perform(form(post("/console/topics/growing/partitions"), "count", "5"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/topics/growing"))
                .andExpect(flash().attribute("notice", "growing has 5 partitions now."));
        assertThat(topicAdmin.describe("growing").partitions()).hasSize(5);

        MvcResult fewer = mvc.perform(form(post("/console/topics/growing/partitions"), "count", "3")).andReturn();
        assertPageShows(fewer, 400, "Topic currently has 5 partitions");
        assertThat(body(fewer)).contains("<h1>growing</h1>");

        assertPageShows(mvc.perform(form(post("/console/topics/growing/partitions"), "count", "many")).andReturn(),
                400, "The partition count must be a whole number, not 'many'");
        assertPageShows(mvc.perform(form(post("/console/topics/growing/partitions"), "count", "")).andReturn(),
                400, "The new partition count is missing");
        assertThat(topicAdmin.describe("growing").partitions()).hasSize(5);

        assertPageShows(mvc.perform(form(post("/console/topics/vanished/partitions"), "count", "5")).andReturn(),
                404, "Topic 'vanished' does not exist.");
    }

    @Test
    void deletingNeedsTheNameTypedAgain() throws Exception {
        createTopic("doomed", 1);

        MvcResult wrong = mvc.perform(form(post("/console/topics/doomed/delete"), "confirm", "doom")).andReturn();
        assertPageShows(wrong, 400, "Type the topic's name, doomed, to confirm its deletion");
        assertThat(body(wrong)).contains("<h1>doomed</h1>");
        assertThat(topicAdmin.find("doomed")).isPresent();

        assertPageShows(mvc.perform(form(post("/console/topics/doomed/delete"))).andReturn(), 400,
                "Type the topic's name, doomed, to confirm its deletion");
        assertThat(topicAdmin.find("doomed")).isPresent();

        mvc.perform(form(post("/console/topics/doomed/delete"), "confirm", " doomed "))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/topics"))
                .andExpect(flash().attribute("notice", "Topic doomed deleted."));
        assertThat(topicAdmin.find("doomed")).isEmpty();
        mvc.perform(get("/console/topics"))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("/console/topics/doomed\""))));

        MvcResult again = mvc.perform(form(post("/console/topics/doomed/delete"), "confirm", "doomed")).andReturn();
        assertPageShows(again, 404, "Topic 'doomed' does not exist.");
        assertThat(body(again)).contains("<h1>Not found</h1>");
    }

    @Test
    void anUnknownTopicIsA404PageWithTheMessage() throws Exception {
        MvcResult result = mvc.perform(get("/console/topics/nowhere")).andReturn();

        assertPageShows(result, 404, "Topic 'nowhere' does not exist.");
        assertThat(body(result)).contains("<h1>Not found</h1>").contains("<p class=\"error\" role=\"alert\">");

        assertPageShows(mvc.perform(form(post("/console/topics/nowhere/configs"), "config:retention.ms", "1")).andReturn(),
                404, "Topic 'nowhere' does not exist.");
    }

    /** The config's input tag, its attributes on one line. */
    static String input(String page, String config) {
        int start = page.indexOf("<input id=\"config-" + config + "\"");
        assertThat(start).as("input of %s", config).isNotNegative();
        return page.substring(start, page.indexOf('>', start) + 1).replaceAll("\\s+", " ");
    }

    @Test
    void anUnknownConfigPostedIsRefused() throws Exception {
        createTopic("strict.configs", 1);

        MvcResult refused = mvc.perform(form(post("/console/topics/strict.configs/configs"), "config:no.such.config", "1",
                "config:retention.ms", "777")).andReturn();

        assertPageShows(refused, 400, "Unknown topic config name: no.such.config");
        assertThat(input(body(refused), "retention.ms")).contains("value=\"777\"").doesNotContain("class=\"invalid\"");
        assertThat(config("strict.configs", "retention.ms").source()).isEqualTo("default");
    }

    @Test
    void internalTopicsAreListedButMarkedAndHidden() throws Exception {
        createTopic("visible", 1);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(clientConfig())) {
            // committing an offset creates the offsets topic
            admin.alterConsumerGroupOffsets("topics-page", Map.of(new org.apache.kafka.common.TopicPartition("visible", 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(0))).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        String page = body(mvc.perform(get("/console/topics")).andExpect(status().isOk()).andReturn());

        String internal = row(page, "__consumer_offsets");
        assertThat(internal.substring(0, internal.indexOf('>'))).contains("class=\"internal hidden\"");
        assertThat(internal).contains("<span class=\"tag\">internal</span>");
        String visible = row(page, "visible");
        assertThat(visible.substring(0, visible.indexOf('>'))).doesNotContain("class=");
        assertThat(visible).doesNotContain("internal");
    }

    @Test
    void aNameInTheUrlIsShownAsTextNeverAsMarkup() throws Exception {
        MvcResult result = mvc.perform(get("/console/topics/{name}", "<script>alert(1)")).andReturn();

        assertPageShows(result, 404, "Topic '<script>alert(1)' does not exist.");
        assertThat(body(result)).contains("&lt;script&gt;alert(1)").doesNotContain("<script>alert");
    }

    /** The topics table's row of a topic, from its opening tag. */
    private static String row(String page, String topic) {
        int href = page.indexOf("data-href=\"/console/topics/" + topic + "\"");
        assertThat(href).as("a row for %s", topic).isNotNegative();
        int start = page.lastIndexOf("<tr", href);
        return page.substring(start, page.indexOf("</tr>", href));
    }

    private ConfigEntry config(String topic, String name) {
        return topicAdmin.configs(topic).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
