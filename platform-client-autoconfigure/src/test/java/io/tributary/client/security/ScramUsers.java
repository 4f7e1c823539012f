package io.tributary.client.security;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** Creates SCRAM users the way an operator does: with Kafka's AdminClient, here over a broker's plaintext listener. */
public final class ScramUsers {

    private ScramUsers() {
    }

    /** A user with {@code password} for both SCRAM mechanisms (PLAIN checks against the same credentials). */
    public static void create(String plaintextBootstrapServers, String username, String password) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintextBootstrapServers))) {
            // One mechanism per request: Kafka refuses a request that names a user twice.
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(username,
                        new ScramCredentialInfo(mechanism, 4096), password))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create SCRAM user " + username, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
