/**
 * The self-balancer: the controller's own partition moves that even out replicas and preferred
 * leaders over the live brokers. {@code BalancePlanner} decides what to move (pure, property-tested),
 * {@code SelfBalancer} runs the rounds on the controller and starts the moves through the quorum, and
 * {@code BalancerThrottles} throttles them and takes the throttles back.
 */
package io.tributary.broker.cluster.balancer;
