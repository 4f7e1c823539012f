/**
 * The server-side assignors of KIP-848 consumer groups ({@code uniform}, {@code range}) and of KIP-932 share
 * groups ({@code simple}, {@code SimpleShareAssignor}): pure functions from subscriptions and partition counts
 * to a target assignment.
 */
package io.tributary.broker.group.assignor;
