package io.tributary.broker.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/** Reads the broker's Actuator endpoints over HTTP, and single samples of its Prometheus scrape. */
final class ActuatorClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ActuatorClient(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of the sample of {@code name} whose labels include every {@code key="value"} given
     * in {@code labels}, from a fresh scrape of /actuator/prometheus; empty when there is none.
     */
    OptionalDouble sample(String name, String... labels) {
        String body = get("/actuator/prometheus").body();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    /** Like {@link #sample}, failing when there is no such sample. */
    double value(String name, String... labels) {
        return sample(name, labels).orElseThrow(() -> new AssertionError(
                "No sample " + name + " with " + String.join(",", labels) + " in /actuator/prometheus"));
    }
}
