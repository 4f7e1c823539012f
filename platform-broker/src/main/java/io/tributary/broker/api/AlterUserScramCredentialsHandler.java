package io.tributary.broker.api;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.security.scram.BootstrapUsers;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * AlterUserScramCredentials: needs ALTER on the cluster; deletes and upserts users' credentials
 * with Kafka's rules — a user altered twice in one request is refused (DUPLICATE_RESOURCE), an empty
 * name or iterations outside 4096..16384 are UNACCEPTABLE_CREDENTIAL, an unknown mechanism
 * UNSUPPORTED_SASL_MECHANISM, deleting a missing credential RESOURCE_NOT_FOUND. The client sends
 * the salted password; the broker keeps only the stored and server keys derived from it.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public AlterUserScramCredentialsHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AlterUserScramCredentialsRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.ALTER)));
        }
        Map<String, ApiError> errors = new LinkedHashMap<>();
        Map<String, ScramCredentialDeletion> deletions = new LinkedHashMap<>();
        Map<String, ScramCredentialUpsertion> upsertions = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : request.data().deletions()) {
            if (errors.containsKey(deletion.name())) {
                continue;
            }
            if (deletions.remove(deletion.name()) != null) {
                errors.put(deletion.name(), duplicate());
            } else {
                checkName(deletion.name(), deletion.mechanism()).ifPresentOrElse(
                        error -> errors.put(deletion.name(), error), () -> deletions.put(deletion.name(), deletion));
            }
        }
        for (ScramCredentialUpsertion upsertion : request.data().upsertions()) {
            if (errors.containsKey(upsertion.name())) {
                continue;
            }
            if (deletions.remove(upsertion.name()) != null || upsertions.remove(upsertion.name()) != null) {
                errors.put(upsertion.name(), duplicate());
            } else {
                checkUpsertion(upsertion).ifPresentOrElse(
                        error -> errors.put(upsertion.name(), error), () -> upsertions.put(upsertion.name(), upsertion));
            }
        }
        List<AlterUserScramCredentialsResult> results = new ArrayList<>();
        deletions.values().forEach(deletion -> results.add(result(deletion.name(), delete(deletion))));
        upsertions.values().forEach(upsertion -> results.add(result(upsertion.name(), upsert(upsertion))));
        errors.forEach((user, error) -> results.add(result(user, error)));
        return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponse(
                new AlterUserScramCredentialsResponseData().setResults(results)));
    }

    private static ApiError duplicate() {
        return new ApiError(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
    }

    private static Optional<ApiError> checkName(String user, byte mechanismType) {
        if (user.isEmpty()) {
            return Optional.of(new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"));
        }
        if (mechanism(mechanismType) == null) {
            return Optional.of(new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"));
        }
        return Optional.empty();
    }

    private static Optional<ApiError> checkUpsertion(ScramCredentialUpsertion upsertion) {
        Optional<ApiError> error = checkName(upsertion.name(), upsertion.mechanism());
        if (error.isPresent()) {
            return error;
        }
        if (upsertion.iterations() < mechanism(upsertion.mechanism()).minIterations()) {
            return Optional.of(new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
        }
        if (upsertion.iterations() > BootstrapUsers.MAX_ITERATIONS) {
            return Optional.of(new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations"));
        }
        return Optional.empty();
    }

    private static ScramMechanism mechanism(byte type) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (mechanism.type() == type) {
                return mechanism;
            }
        }
        return null;
    }

    private ApiError delete(ScramCredentialDeletion deletion) {
        try {
            metadata.deleteScramCredential(new ScramCredentialKey(deletion.name(), mechanism(deletion.mechanism())));
            return ApiError.NONE;
        } catch (MetadataException e) {
            return new ApiError(e.error(), e.getMessage());
        }
    }

    private ApiError upsert(ScramCredentialUpsertion upsertion) {
        ScramMechanism mechanism = mechanism(upsertion.mechanism());
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] saltedPassword = upsertion.saltedPassword();
            ScramCredentialData credential = new ScramCredentialData(upsertion.salt(),
                    formatter.storedKey(formatter.clientKey(saltedPassword)), formatter.serverKey(saltedPassword),
                    upsertion.iterations());
            metadata.putScramCredential(new ScramCredentialKey(upsertion.name(), mechanism), credential, false);
            return ApiError.NONE;
        } catch (MetadataException e) {
            return new ApiError(e.error(), e.getMessage());
        } catch (GeneralSecurityException e) {
            return new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, e.getMessage());
        }
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult().setUser(user).setErrorCode(error.error().code())
                .setErrorMessage(error.message());
    }
}
