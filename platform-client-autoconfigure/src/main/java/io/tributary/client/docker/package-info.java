/**
 * Spring Boot's Docker Compose support for services on Tributary: connection details from a broker service of the
 * compose file.
 */
package io.tributary.client.docker;
