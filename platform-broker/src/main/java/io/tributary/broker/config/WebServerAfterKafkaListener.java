package io.tributary.broker.config;

import io.tributary.broker.config.BrokerConfiguration.KafkaListener;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.web.server.WebServerFactory;

/**
 * Makes every web server factory depend on the Kafka listener, so that Kafka clients are served as soon as the
 * broker is: the listener bean, and with it everything the Kafka request path needs (its dependencies: the logs
 * recovered, partitions, coordinators loaded, security, the request metrics), is created and bound first, before
 * the web server and the web side behind it (Tomcat, its filters, Actuator, the console, the admin API, the
 * OpenAPI description) are built.
 *
 * <p>Spring creates the web server factory when the context refreshes, before it creates the other singletons,
 * so without this the listener would wait for all of that. Depending on the listener changes nothing at shutdown:
 * the web server stops with the context's lifecycle, before any bean is destroyed, and the listener is destroyed
 * before the beans it depends on. A context without a web server (tests, the embedded broker) has no factory, and
 * its listener starts in the usual order.
 */
final class WebServerAfterKafkaListener extends AbstractDependsOnBeanFactoryPostProcessor {

    WebServerAfterKafkaListener() {
        super(WebServerFactory.class, KafkaListener.class);
    }
}
