package io.tributary.broker.security.acl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * A set of ACLs arranged for deciding one action in time independent of their number: per resource
 * type, literal patterns (the {@code *} wildcard among them) in a hash map by name, and prefixed
 * patterns in a {@link PrefixTable}, which visits only the prefixes of the resource name that are
 * keys. Immutable: the authorizer swaps in a new index when the ACLs change.
 */
final class AclIndex {

    static final AclIndex EMPTY = new AclIndex(Set.of());

    private static final Rule[] NO_RULES = {};

    private final Set<AclBinding> bindings;
    private final Map<ResourceType, Map<String, Rule[]>> literal = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, PrefixTable<Rule[]>> prefixed = new EnumMap<>(ResourceType.class);

    private AclIndex(Set<AclBinding> bindings) {
        this.bindings = bindings;
        Map<ResourceType, Map<String, List<Rule>>> literalLists = new EnumMap<>(ResourceType.class);
        Map<ResourceType, Map<String, List<Rule>>> prefixedLists = new EnumMap<>(ResourceType.class);
        for (AclBinding binding : bindings) {
            ResourcePattern pattern = binding.pattern();
            var byType = pattern.patternType() == PatternType.PREFIXED ? prefixedLists : literalLists;
            byType.computeIfAbsent(pattern.resourceType(), type -> new HashMap<>())
                    .computeIfAbsent(pattern.name(), name -> new ArrayList<>()).add(new Rule(binding));
        }
        literalLists.forEach((type, byName) -> literal.put(type, toArrays(byName)));
        prefixedLists.forEach((type, byName) -> prefixed.put(type, new PrefixTable<>(toArrays(byName))));
    }

    /** {@code bindings} is kept as given, so callers can tell by identity whether the ACLs changed. */
    static AclIndex of(Set<AclBinding> bindings) {
        return new AclIndex(bindings);
    }

    Set<AclBinding> bindings() {
        return bindings;
    }

    private static Map<String, Rule[]> toArrays(Map<String, List<Rule>> lists) {
        Map<String, Rule[]> arrays = new HashMap<>();
        lists.forEach((name, rules) -> arrays.put(name, rules.toArray(NO_RULES)));
        return arrays;
    }

    /**
     * What the ACLs say about {@code operation} on a resource for a principal (its type and name
     * only, as Kafka matches a principal builder's subclass) from a client address: the first DENY
     * rule that matches, else an ALLOW rule that matches, else {@link Verdict#NO_MATCH} when the
     * resource has ACLs but none for this, or {@link Verdict#NO_ACLS} when no ACL applies to it at all.
     */
    Verdict decide(ResourceType type, String name, KafkaPrincipal principal, InetAddress client, AclOperation operation) {
        Scan scan = new Scan(principal, client, operation);
        Map<String, Rule[]> literals = literal.get(type);
        if (literals != null) {
            if (scan.visit(literals.get(name)) || !name.equals(ResourcePattern.WILDCARD_RESOURCE)
                    && scan.visit(literals.get(ResourcePattern.WILDCARD_RESOURCE))) {
                return scan.verdict();
            }
        }
        PrefixTable<Rule[]> prefixes = prefixed.get(type);
        if (prefixes != null) {
            prefixes.forEachPrefixOf(name, rules -> !scan.visit(rules));
        }
        return scan.verdict();
    }

    /** The outcome of the ACLs for one action, and the ACL that decided it, for the audit log. */
    record Verdict(Kind kind, AclBinding acl) {

        static final Verdict NO_ACLS = new Verdict(Kind.NO_ACLS, null);
        static final Verdict NO_MATCH = new Verdict(Kind.NO_MATCH, null);

        enum Kind { ALLOWED, DENIED, NO_MATCH, NO_ACLS }
    }

    /** One ACL, with what is compared on every request prepared once. */
    private static final class Rule {
        private final String principalType;
        private final String principalName;
        private final boolean anyPrincipal;
        private final String host;
        private final boolean anyHost;
        private final AclOperation operation;
        private final boolean allow;
        private final Verdict verdict;

        Rule(AclBinding binding) {
            String principal = binding.entry().principal();
            int colon = principal.indexOf(':');
            this.principalType = principal.substring(0, Math.max(colon, 0));
            this.principalName = principal.substring(colon + 1);
            this.anyPrincipal = principal.equals("User:*");
            this.host = binding.entry().host();
            this.anyHost = host.equals("*");
            this.operation = binding.entry().operation();
            this.allow = binding.entry().permissionType() == AclPermissionType.ALLOW;
            this.verdict = new Verdict(allow ? Verdict.Kind.ALLOWED : Verdict.Kind.DENIED, binding);
        }

        boolean matches(Scan request) {
            return (anyPrincipal || principalName.equals(request.principal.getName())
                    && principalType.equals(request.principal.getPrincipalType()))
                    && grants(request.operation) && (anyHost || host.equals(request.host()));
        }

        /** ALLOW rules imply DESCRIBE (and DESCRIBE_CONFIGS) as Kafka does; DENY rules deny only what they name. */
        private boolean grants(AclOperation requested) {
            if (operation == AclOperation.ALL || operation == requested) {
                return true;
            }
            if (!allow) {
                return false;
            }
            return switch (requested) {
                case DESCRIBE -> operation == AclOperation.READ || operation == AclOperation.WRITE
                        || operation == AclOperation.DELETE || operation == AclOperation.ALTER;
                case DESCRIBE_CONFIGS -> operation == AclOperation.ALTER_CONFIGS;
                default -> false;
            };
        }
    }

    /** The rules of one decision so far: a DENY ends it. */
    private static final class Scan {
        private final KafkaPrincipal principal;
        private final InetAddress client;
        private final AclOperation operation;
        private String host;
        private boolean resourceHasAcls;
        private Verdict allowed;
        private Verdict denied;

        Scan(KafkaPrincipal principal, InetAddress client, AclOperation operation) {
            this.principal = principal;
            this.client = client;
            this.operation = operation;
        }

        /** The client's address as ACLs name hosts, formatted only when a rule names one. */
        String host() {
            if (host == null) {
                host = client.getHostAddress();
            }
            return host;
        }

        /** @return whether a DENY rule matched, which nothing can overrule */
        boolean visit(Rule[] rules) {
            if (rules == null) {
                return false;
            }
            resourceHasAcls = true;
            for (Rule rule : rules) {
                if (rule.matches(this)) {
                    if (!rule.allow) {
                        denied = rule.verdict;
                        return true;
                    }
                    allowed = rule.verdict;
                }
            }
            return false;
        }

        Verdict verdict() {
            if (denied != null) {
                return denied;
            }
            if (allowed != null) {
                return allowed;
            }
            return resourceHasAcls ? Verdict.NO_MATCH : Verdict.NO_ACLS;
        }
    }
}
