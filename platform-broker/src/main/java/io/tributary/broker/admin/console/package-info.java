/**
 * The Tributary Console under {@code /console}: server-rendered pages (Thymeleaf templates in
 * {@code templates/console}) over the same {@code admin.service} operations as the admin REST API,
 * with htmx refreshing the live parts and uPlot drawing charts from {@code admin.history}. A refusal
 * is shown in the page it came from with the admin API's status and message, never a stack trace.
 */
package io.tributary.broker.admin.console;
