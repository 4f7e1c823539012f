/** The broker's Spring wiring: its {@code tributary.broker.*} properties and the beans built from them. */
package io.tributary.broker.config;
