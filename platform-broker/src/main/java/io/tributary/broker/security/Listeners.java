package io.tributary.broker.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import io.tributary.broker.metadata.AdvertisedListener;

/**
 * A broker's listeners in Kafka's configuration model: what it binds ({@code listeners}), what it
 * tells clients ({@code advertised.listeners}), which security protocol each listener name speaks
 * ({@code listener.security.protocol.map}) and which listener brokers use among themselves
 * ({@code inter.broker.listener.name}).
 *
 * @param bound in the order configured
 * @param advertised by listener name, every bound listener present
 */
public record Listeners(List<ListenerDefinition> bound, Map<String, AdvertisedListener> advertised, String interBrokerListenerName) {

    public Listeners {
        bound = List.copyOf(bound);
        advertised = Map.copyOf(advertised);
    }

    /**
     * Reads Kafka-style settings.
     *
     * @param listeners e.g. {@code PLAINTEXT://0.0.0.0:9092,SASL_SSL://:9093}
     * @param advertisedListeners the same form, for the listeners whose advertised endpoint is not their
     *        bound one; {@code null} or blank to advertise each bound one, with {@code defaultAdvertisedHost}
     *        for those bound to every interface
     * @param protocolMap {@code NAME:PROTOCOL,…}; a listener named after a security protocol speaks it
     *        unless mapped otherwise
     * @param interBrokerListenerName {@code null} or blank for the first listener
     * @throws IllegalArgumentException with a message an operator can act on
     */
    public static Listeners parse(String listeners, String advertisedListeners, String protocolMap,
            String interBrokerListenerName, String defaultAdvertisedHost) {
        Map<String, SecurityProtocol> protocols = protocolMap(protocolMap);
        Map<String, ListenerDefinition> bound = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints("listeners", listeners)) {
            SecurityProtocol protocol = protocols.get(endpoint.name());
            if (protocol == null) {
                throw new IllegalArgumentException("Listener " + endpoint.name() + " has no security protocol: name it after one ("
                        + SecurityProtocol.names() + ") or map it in listener-security-protocol-map");
            }
            if (bound.put(endpoint.name(), new ListenerDefinition(endpoint.name(), protocol, endpoint.host(), endpoint.port())) != null) {
                throw new IllegalArgumentException("Listener " + endpoint.name() + " is configured twice in listeners");
            }
        }
        if (bound.isEmpty()) {
            throw new IllegalArgumentException("listeners names no listener");
        }
        Map<String, AdvertisedListener> advertised = new LinkedHashMap<>();
        if (advertisedListeners != null && !advertisedListeners.isBlank()) {
            for (Endpoint endpoint : endpoints("advertised-listeners", advertisedListeners)) {
                if (!bound.containsKey(endpoint.name())) {
                    throw new IllegalArgumentException("Advertised listener " + endpoint.name() + " is not among listeners " + bound.keySet());
                }
                if (endpoint.host().isEmpty() || endpoint.host().equals("0.0.0.0") || endpoint.host().equals("::")) {
                    throw new IllegalArgumentException("Advertised listener " + endpoint.name()
                            + " needs a host clients can reach, not '" + endpoint.host() + "'");
                }
                advertised.put(endpoint.name(), new AdvertisedListener(endpoint.name(), endpoint.host(), endpoint.port()));
            }
        }
        for (ListenerDefinition listener : bound.values()) {
            advertised.computeIfAbsent(listener.name(), name -> new AdvertisedListener(name,
                    listener.bindsAllInterfaces() ? defaultAdvertisedHost : listener.host(), listener.port()));
        }
        String interBroker = interBrokerListenerName == null || interBrokerListenerName.isBlank()
                ? bound.keySet().iterator().next() : interBrokerListenerName.trim().toUpperCase(Locale.ROOT);
        if (!bound.containsKey(interBroker)) {
            throw new IllegalArgumentException("inter-broker-listener-name " + interBroker + " is not among listeners " + bound.keySet());
        }
        return new Listeners(new ArrayList<>(bound.values()), advertised, interBroker);
    }

    /** The single PLAINTEXT listener of a broker configured with just a host and a port. */
    public static Listeners plaintext(String host, int port, String advertisedHost) {
        ListenerDefinition listener = new ListenerDefinition(SecurityProtocol.PLAINTEXT.name, SecurityProtocol.PLAINTEXT, host, port);
        String advertise = advertisedHost != null && !advertisedHost.isBlank() ? advertisedHost
                : listener.bindsAllInterfaces() ? "localhost" : host;
        return new Listeners(List.of(listener), Map.of(listener.name(), new AdvertisedListener(listener.name(), advertise, port)),
                listener.name());
    }

    public ListenerDefinition interBroker() {
        return listener(interBrokerListenerName).orElseThrow();
    }

    public Optional<ListenerDefinition> listener(String name) {
        return bound.stream().filter(l -> l.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Advertised endpoints in the order of the bound listeners. */
    public List<AdvertisedListener> advertisedInOrder() {
        return bound.stream().map(l -> advertised.get(l.name())).toList();
    }

    /** Kafka's form of the bound listeners, for DescribeConfigs. */
    public String listenersConfig() {
        return String.join(",", bound.stream().map(ListenerDefinition::toString).toList());
    }

    /** Kafka's form of the advertised listeners, for DescribeConfigs. */
    public String advertisedListenersConfig() {
        return String.join(",", advertisedInOrder().stream().map(AdvertisedListener::toString).toList());
    }

    /** Kafka's form of the listener security protocol map, for DescribeConfigs. */
    public String protocolMapConfig() {
        return String.join(",", bound.stream().map(l -> l.name() + ":" + l.securityProtocol().name).toList());
    }

    private record Endpoint(String name, String host, int port) {
    }

    private static List<Endpoint> endpoints(String setting, String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String item : value.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int scheme = entry.indexOf("://");
            int colon = entry.lastIndexOf(':');
            if (scheme <= 0 || colon <= scheme + 2) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not of the form NAME://host:port");
            }
            String host = entry.substring(scheme + 3, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' has no port number", e);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(setting + ": port " + port + " of '" + entry + "' is out of range");
            }
            endpoints.add(new Endpoint(entry.substring(0, scheme).toUpperCase(Locale.ROOT), host, port));
        }
        return endpoints;
    }

    private static Map<String, SecurityProtocol> protocolMap(String value) {
        Map<String, SecurityProtocol> protocols = new LinkedHashMap<>();
        for (SecurityProtocol protocol : SecurityProtocol.values()) {
            protocols.put(protocol.name, protocol);
        }
        if (value == null || value.isBlank()) {
            return protocols;
        }
        for (String item : value.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("listener-security-protocol-map: '" + entry + "' is not of the form NAME:PROTOCOL");
            }
            String protocol = entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (!SecurityProtocol.names().contains(protocol)) {
                throw new IllegalArgumentException("listener-security-protocol-map: unknown security protocol " + protocol
                        + "; one of " + SecurityProtocol.names());
            }
            protocols.put(entry.substring(0, colon).trim().toUpperCase(Locale.ROOT), SecurityProtocol.forName(protocol));
        }
        return protocols;
    }
}
