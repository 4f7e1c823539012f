package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI description covers the admin API under /api and leaves the console out. */
class OpenApiTest extends ConsoleTestSupport {

    @Test
    void theApiDocsListTheAdminApiAndNotTheConsole() throws Exception {
        MvcResult result = mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn();

        JsonNode paths = JsonMapper.builder().build().readTree(body(result)).path("paths");
        List<String> names = new ArrayList<>();
        paths.properties().forEach(entry -> names.add(entry.getKey()));
        assertThat(names).contains("/api/topics", "/api/topics/{name}", "/api/groups");
        assertThat(names).allSatisfy(path -> assertThat(path).startsWith("/api/"));
        assertThat(body(result)).doesNotContain("/console");
        assertThat(paths.path("/api/topics").has("post")).isTrue();
    }

    @Test
    void theSwaggerUiIsServed() throws Exception {
        MvcResult redirect = mvc.perform(get("/swagger-ui.html")).andReturn();

        assertThat(redirect.getResponse().getStatus()).isEqualTo(302);
        String location = redirect.getResponse().getRedirectedUrl();
        assertThat(location).contains("/swagger-ui/index.html");

        MvcResult ui = mvc.perform(get(location)).andExpect(status().isOk()).andReturn();
        assertThat(body(ui)).contains("swagger-ui");
    }
}
