package io.tributary.client.outbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import io.tributary.client.test.EmbeddedTributary;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The one application context of the outbox tests, a real broker and a real PostgreSQL: every test class that
 * carries this annotation shares it, so they start once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = OutboxTestApplication.class, properties = {
        "spring.application.name=outbox-test",
        "spring.flyway.locations=classpath:db/tributary,classpath:db/test",
        "spring.kafka.consumer.group-id=shipping",
        "tributary.topics.shipments.partitions=2",
        "tributary.outbox.poll-interval=20ms" })
@EmbeddedTributary
@EmbeddedPostgresDatabase
@interface OutboxIntegrationTest {

    String SHIPMENTS = "shipments";
}
