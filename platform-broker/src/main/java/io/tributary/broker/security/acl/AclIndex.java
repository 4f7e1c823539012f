package io.tributary.broker.security.acl;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A set of ACLs arranged for deciding one action in time independent of their number: per resource
 * type, literal patterns (the {@code *} wildcard among them) in a hash map by name, and prefixed
 * patterns in a sorted map, of which only the keys that are prefixes of the resource name are
 * visited. Immutable: the authorizer swaps in a new index when the ACLs change.
 */
final class AclIndex {

    static final AclIndex EMPTY = new AclIndex(Set.of());

    private static final Rule[] NO_RULES = {};

    private final Set<AclBinding> bindings;
    private final Map<ResourceType, Map<String, Rule[]>> literal = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, TreeMap<String, Rule[]>> prefixed = new EnumMap<>(ResourceType.class);

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
        literalLists.forEach((type, byName) -> literal.put(type, toArrays(byName, new HashMap<>())));
        prefixedLists.forEach((type, byName) -> prefixed.put(type, toArrays(byName, new TreeMap<>())));
    }

    /** {@code bindings} is kept as given, so callers can tell by identity whether the ACLs changed. */
    static AclIndex of(Set<AclBinding> bindings) {
        return new AclIndex(bindings);
    }

    Set<AclBinding> bindings() {
        return bindings;
    }

    private static <M extends Map<String, Rule[]>> M toArrays(Map<String, List<Rule>> lists, M target) {
        lists.forEach((name, rules) -> target.put(name, rules.toArray(NO_RULES)));
        return target;
    }

    /**
     * What the ACLs say about {@code operation} on a resource for a principal ({@code Type:name}) from
     * a host: the first DENY rule that matches, else an ALLOW rule that matches, else
     * {@link Verdict#NO_MATCH} when the resource has ACLs but none for this, or {@link Verdict#NO_ACLS}
     * when no ACL applies to the resource at all.
     */
    Verdict decide(ResourceType type, String name, String principal, String host, AclOperation operation) {
        Scan scan = new Scan(principal, host, operation);
        Map<String, Rule[]> literals = literal.get(type);
        if (literals != null) {
            if (scan.visit(literals.get(name)) || !name.equals(ResourcePattern.WILDCARD_RESOURCE)
                    && scan.visit(literals.get(ResourcePattern.WILDCARD_RESOURCE))) {
                return scan.verdict();
            }
        }
        TreeMap<String, Rule[]> prefixes = prefixed.get(type);
        if (prefixes != null) {
            visitPrefixesOf(name, prefixes, scan);
        }
        return scan.verdict();
    }

    /**
     * Visits the entries whose keys are prefixes of {@code name}, longest first. The floor of the
     * name is either such a prefix, or shares only its first {@code m} characters with it, in which
     * case no prefix longer than {@code m} is a key (it would sort between the floor and the name),
     * so the search goes on from the name's first {@code m} characters.
     */
    private static void visitPrefixesOf(String name, TreeMap<String, Rule[]> prefixes, Scan scan) {
        Map.Entry<String, Rule[]> entry = prefixes.floorEntry(name);
        while (entry != null) {
            String key = entry.getKey();
            int common = commonPrefixLength(key, name);
            if (common == key.length()) {
                if (scan.visit(entry.getValue())) {
                    return;
                }
                entry = prefixes.lowerEntry(key);
            } else if (common == 0) {
                return;
            } else {
                entry = prefixes.floorEntry(name.substring(0, common));
            }
        }
    }

    private static int commonPrefixLength(String a, String b) {
        int max = Math.min(a.length(), b.length());
        int i = 0;
        while (i < max && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** The outcome of the ACLs for one action, and the ACL that decided it, for the audit log. */
    record Verdict(Kind kind, AclBinding acl) {

        static final Verdict NO_ACLS = new Verdict(Kind.NO_ACLS, null);
        static final Verdict NO_MATCH = new Verdict(Kind.NO_MATCH, null);

        enum Kind { ALLOWED, DENIED, NO_MATCH, NO_ACLS }
    }

    /** One ACL, with what is compared on every request prepared once. */
    private static final class Rule {
        private final String principal;
        private final boolean anyPrincipal;
        private final String host;
        private final boolean anyHost;
        private final AclOperation operation;
        private final boolean allow;
        private final Verdict verdict;

        Rule(AclBinding binding) {
            this.principal = binding.entry().principal();
            this.anyPrincipal = principal.equals("User:*");
            this.host = binding.entry().host();
            this.anyHost = host.equals("*");
            this.operation = binding.entry().operation();
            this.allow = binding.entry().permissionType() == AclPermissionType.ALLOW;
            this.verdict = new Verdict(allow ? Verdict.Kind.ALLOWED : Verdict.Kind.DENIED, binding);
        }

        boolean matches(String requestPrincipal, String requestHost, AclOperation requested) {
            return (anyPrincipal || principal.equals(requestPrincipal)) && (anyHost || host.equals(requestHost))
                    && grants(requested);
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
        private final String principal;
        private final String host;
        private final AclOperation operation;
        private boolean resourceHasAcls;
        private Verdict allowed;
        private Verdict denied;

        Scan(String principal, String host, AclOperation operation) {
            this.principal = principal;
            this.host = host;
            this.operation = operation;
        }

        /** @return whether a DENY rule matched, which nothing can overrule */
        boolean visit(Rule[] rules) {
            if (rules == null) {
                return false;
            }
            resourceHasAcls = true;
            for (Rule rule : rules) {
                if (rule.matches(principal, host, operation)) {
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
