package io.tributary.broker.security;

import java.util.List;

/** SCRAM users for tests of secured brokers, created the way an operator creates the first one. */
public final class ScramUsers {

    private ScramUsers() {
    }

    /**
     * The broker settings that create a user with both SCRAM mechanisms on first start
     * ({@code tributary.broker.security.bootstrap-users}).
     *
     * @param index the user's place in the list, so that several users can be given
     */
    public static List<String> bootstrapArgs(int index, String user, String password) {
        String first = "--tributary.broker.security.bootstrap-users[" + (2 * index) + "]";
        String second = "--tributary.broker.security.bootstrap-users[" + (2 * index + 1) + "]";
        return List.of(first + ".name=" + user, first + ".password=" + password, first + ".mechanism=SCRAM-SHA-512",
                second + ".name=" + user, second + ".password=" + password, second + ".mechanism=SCRAM-SHA-256");
    }

    /** The same settings as properties (without the leading dashes), for {@code @DynamicPropertySource}. */
    public static List<String[]> bootstrapProperties(int index, String user, String password) {
        return bootstrapArgs(index, user, password).stream().map(arg -> arg.substring(2).split("=", 2)).toList();
    }
}
