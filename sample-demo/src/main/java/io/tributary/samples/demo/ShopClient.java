package io.tributary.samples.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The services' REST APIs, as a customer-facing front end would call them. */
public final class ShopClient {

    // Amounts stay as the services wrote them (44.90, not 44.9).
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(tools.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String orders;
    private final String billing;
    private final String notifications;

    public ShopClient(String ordersUrl, String billingUrl, String notificationsUrl) {
        this.orders = ordersUrl;
        this.billing = billingUrl;
        this.notifications = notificationsUrl;
    }

    /** Places an order and returns it as the orders service answered (201). */
    public JsonNode place(SampleOrders.Order order) {
        String body = JSON.writeValueAsString(new PlaceOrder(order.customerId(), order.items()));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /orders answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public JsonNode order(String id) {
        return get(orders + "/orders/" + id);
    }

    /** The invoices of one order, or all of them when {@code orderId} is null. */
    public JsonNode invoices(String orderId) {
        return get(billing + "/invoices" + (orderId == null ? "" : "?orderId=" + orderId));
    }

    /** The notifications of one order, or all of them when {@code orderId} is null. */
    public JsonNode notifications(String orderId) {
        return get(notifications + "/notifications" + (orderId == null ? "" : "?orderId=" + orderId));
    }

    private JsonNode get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private record PlaceOrder(String customerId, List<SampleOrders.Item> items) {
    }
}
