package io.tributary.client.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Binds the {@code tributary.*} client properties for the services that add the starter. */
@AutoConfiguration
@EnableConfigurationProperties(TributaryClientProperties.class)
public class TributaryClientAutoConfiguration {
}
