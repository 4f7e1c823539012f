/**
 * The admin REST API under {@code /api} on the broker's HTTP port: the cluster at a glance, topics and
 * their configs and partitions, consumer groups with their lag and offset resets, and browsing and
 * producing records.
 *
 * <p>Controllers only translate HTTP to calls of {@code admin.service}, which the console calls too, so
 * the two never diverge. Errors are RFC 9457 problem details; a refused request changes nothing.
 */
package io.tributary.broker.admin.rest;
