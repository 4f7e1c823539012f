package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * DescribeUserScramCredentials: needs DESCRIBE on the cluster; answers each user's mechanisms and
 * iteration counts (never salts or keys) — every user when none is named, RESOURCE_NOT_FOUND for a
 * named user without credentials and DUPLICATE_RESOURCE for one named twice, as Kafka does.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public DescribeUserScramCredentialsHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeUserScramCredentialsRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.DESCRIBE)));
        }
        SecurityImage security = metadata.security();
        // User name -> whether the request names it more than once.
        Map<String, Boolean> users = new LinkedHashMap<>();
        List<UserName> named = request.data().users();
        if (named == null || named.isEmpty()) {
            new TreeSet<>(security.credentials().keySet().stream().map(ScramCredentialKey::user).toList())
                    .forEach(user -> users.put(user, false));
        } else {
            named.forEach(user -> users.merge(user.name(), false, (first, again) -> true));
        }
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        users.forEach((user, duplicate) -> results.add(describe(security, user, duplicate)));
        return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(
                new DescribeUserScramCredentialsResponseData().setResults(results)));
    }

    private static DescribeUserScramCredentialsResult describe(SecurityImage security, String user, boolean duplicate) {
        DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
        if (duplicate) {
            return result.setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                    .setErrorMessage("describeUserScramCredentials has duplicate user: " + user);
        }
        List<CredentialInfo> infos = new ArrayList<>();
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            security.credential(new ScramCredentialKey(user, mechanism)).ifPresent(credential -> infos.add(
                    new CredentialInfo().setMechanism(mechanism.type()).setIterations(credential.iterations())));
        }
        if (infos.isEmpty()) {
            return result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                    .setErrorMessage("attemptToDescribeUserThatDoesNotExist: " + user);
        }
        return result.setCredentialInfos(infos);
    }
}
