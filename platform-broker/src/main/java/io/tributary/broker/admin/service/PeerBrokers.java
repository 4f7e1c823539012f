package io.tributary.broker.admin.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The other brokers' admin APIs, for what only they hold: a partition this broker has no replica of,
 * a group another broker coordinates, another broker's disk and traffic.
 *
 * <p>Two kinds of calls: a <em>forward</em> ({@link #get}, {@link #post}) hands a user's request to the
 * broker that holds the answer, and happens at most once — the forwarded request carries
 * {@value #FORWARDED_HEADER}, and a broker answering such a request forwards nothing — so two brokers
 * with different views of the metadata cannot bounce a request between them. An <em>ask</em>
 * ({@link #ask}, {@link #askOthers}) reads what another broker holds itself (its replicas' figures,
 * its disk, its own traffic); those endpoints never ask further, so they are allowed at any depth.
 * A broker that registered no HTTP port, or does not answer within the timeout, is reported as
 * unavailable rather than waited for.
 */
public final class PeerBrokers {

    public static final String FORWARDED_HEADER = "Tributary-Forwarded";

    /** What another broker answered, or why it did not. */
    public record Answer<T>(int nodeId, T value, String problem) {

        public boolean ok() {
            return problem == null;
        }
    }

    private final ClusterMetadata metadata;
    private final int selfId;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    /** The broker's own HTTP Basic credentials for asks, or {@code null} where the HTTP side is open. */
    private final String brokerAuthorization;

    public PeerBrokers(ClusterMetadata metadata, int selfId, Duration timeout) {
        this(metadata, selfId, timeout, null, null);
    }

    /**
     * @param username the user a broker asks others as (the inter-broker user), {@code null} when the
     *        HTTP side does not authenticate; a forward always goes as the user whose request it is
     */
    public PeerBrokers(ClusterMetadata metadata, int selfId, Duration timeout, String username, String password) {
        this.metadata = metadata;
        this.selfId = selfId;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.brokerAuthorization = username == null || password == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public int selfId() {
        return selfId;
    }

    /** Whether this broker may ask others: not while answering a request another broker forwarded. */
    public boolean mayForward() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return !(attributes instanceof ServletRequestAttributes servlet)
                || servlet.getRequest().getHeader(FORWARDED_HEADER) == null;
    }

    /** The other live brokers whose HTTP side is known. */
    public List<BrokerStatus> others() {
        if (!metadata.isReplicated()) {
            return List.of();
        }
        return metadata.brokers().stream()
                .filter(b -> b.nodeId() != selfId && !b.fenced() && b.httpPort() != BrokerStatus.NO_HTTP_PORT)
                .toList();
    }

    /** Forwards a GET to the broker that holds the answer; a 503 problem naming the broker when it cannot answer. */
    public <T> T get(int nodeId, String path, TypeReference<T> type) {
        checkMayForward();
        return send(nodeId, path, "GET", null, type, userAuthorization());
    }

    /** Forwards a POST to the broker that holds the answer. */
    public <T> T post(int nodeId, String path, Object body, TypeReference<T> type) {
        checkMayForward();
        return send(nodeId, path, "POST", body, type, userAuthorization());
    }

    /** Asks one broker for what it holds itself (an endpoint that asks no one further). */
    public <T> T ask(int nodeId, String path, TypeReference<T> type) {
        return send(nodeId, path, "GET", null, type, askAuthorization());
    }

    /**
     * Asks every other live broker at once for what it holds itself — or, from a request that was not
     * forwarded, for a listing that each answers with its own part — each answer or its problem
     * within the timeout.
     */
    public <T> List<Answer<T>> askOthers(String path, TypeReference<T> type) {
        // Asked all at once on the HTTP client's own threads, so one slow broker costs one timeout.
        List<CompletableFuture<Answer<T>>> calls = new ArrayList<>();
        String authorization = askAuthorization();
        for (BrokerStatus broker : others()) {
            calls.add(sendAsync(broker.nodeId(), path, "GET", null, type, authorization)
                    .thenApply(value -> new Answer<>(broker.nodeId(), value, null))
                    .exceptionally(e -> new Answer<>(broker.nodeId(), null, detailOf(problemOf(e)))));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private void checkMayForward() {
        if (!mayForward()) {
            throw AdminProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "Broker " + selfId
                    + " does not hold this and was asked by another broker: the metadata is changing, try again");
        }
    }

    /** The credentials of the user whose request this is, passed on so the other broker checks the same ACLs. */
    private static String userAuthorization() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            return servlet.getRequest().getHeader("Authorization");
        }
        return null;
    }

    /** An ask is the broker's own: as the inter-broker user where one is configured. */
    private String askAuthorization() {
        return brokerAuthorization != null ? brokerAuthorization : userAuthorization();
    }

    private <T> T send(int nodeId, String path, String method, Object body, TypeReference<T> type, String authorization) {
        try {
            return sendAsync(nodeId, path, method, body, type, authorization).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw problemOf(e);
        }
    }

    private <T> CompletableFuture<T> sendAsync(int nodeId, String path, String method, Object body,
            TypeReference<T> type, String authorization) {
        BrokerStatus broker = metadata.brokers().stream().filter(b -> b.nodeId() == nodeId).findFirst().orElse(null);
        if (broker == null) {
            return CompletableFuture.failedFuture(AdminProblems.problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "Broker " + nodeId + " is not registered"));
        }
        if (broker.httpPort() == BrokerStatus.NO_HTTP_PORT) {
            return CompletableFuture.failedFuture(AdminProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "Broker " + nodeId
                    + " holds this, and its HTTP port is not known (it runs with a random server.port)"));
        }
        URI uri = URI.create("http://" + broker.endpoint().host() + ":" + broker.httpPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header(FORWARDED_HEADER, String.valueOf(selfId))
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw AdminProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "Broker " + nodeId + " at "
                                + uri.getAuthority() + " did not answer: " + cause);
                    }
                    if (response.statusCode() >= 400) {
                        throw AdminProblems.problem(HttpStatus.valueOf(response.statusCode()), detail(response.body(), nodeId));
                    }
                    try {
                        return json.readValue(response.body(), type);
                    } catch (JacksonException e) {
                        throw AdminProblems.problem(HttpStatus.BAD_GATEWAY, "Broker " + nodeId
                                + " answered what this broker cannot read: " + e.getOriginalMessage());
                    }
                });
    }

    private static String detailOf(RuntimeException problem) {
        if (problem instanceof org.springframework.web.ErrorResponseException response
                && response.getBody().getDetail() != null) {
            return response.getBody().getDetail();
        }
        return problem.getMessage();
    }

    /** The refusal inside a failed call, as the problem this broker answers with. */
    private static RuntimeException problemOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime
                : AdminProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(cause));
    }

    /** The problem detail another broker answered with, as its own words. */
    private String detail(String body, int nodeId) {
        try {
            JsonNode problem = json.readTree(body);
            String detail = problem.path("detail").asString("");
            return detail.isEmpty() ? "Broker " + nodeId + " refused the request" : detail;
        } catch (JacksonException e) {
            return "Broker " + nodeId + " refused the request";
        }
    }

    /** A query string from the parameters that are set. */
    public static String query(Map<String, ?> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(String.valueOf(value), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    static String segment(String text) {
        return org.springframework.web.util.UriUtils.encodePathSegment(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The node id to ask for a partition held only elsewhere: its leader, else any live replica. */
    Optional<Integer> holder(String topic, int partition) {
        return metadata.partition(topic, partition).flatMap(state -> {
            if (state.leader() >= 0) {
                return Optional.of(state.leader());
            }
            return state.isr().stream().findFirst();
        });
    }
}
