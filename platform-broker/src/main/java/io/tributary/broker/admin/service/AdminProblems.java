package io.tributary.broker.admin.service;

import java.util.Optional;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.log.InvalidBatchException;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Problem details the controllers answer with for requests they refuse before changing anything. */
public final class AdminProblems {

    private AdminProblems() {
    }

    public static ErrorResponseException badRequest(String detail) {
        return problem(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return problem(HttpStatus.NOT_FOUND, detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return problem(HttpStatus.CONFLICT, detail);
    }

    public static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }

    /**
     * The problem detail a refusal of the broker stands for — what the admin API answers and the console
     * shows — or empty for an unexpected failure. A Kafka error keeps its name in {@code kafkaError}.
     */
    public static Optional<ProblemDetail> of(RuntimeException e) {
        if (e instanceof ErrorResponseException response) {
            return Optional.of(response.getBody());
        }
        if (e instanceof MetadataException refused) {
            return Optional.of(kafkaProblem(refused.error(), refused.getMessage()));
        }
        if (e instanceof CoordinatorException refused) {
            return Optional.of(kafkaProblem(refused.error(), refused.getMessage()));
        }
        if (e instanceof InvalidBatchException invalid) {
            HttpStatus status = invalid.reason() == InvalidBatchException.Reason.TOO_LARGE
                    ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
            return Optional.of(ProblemDetail.forStatusAndDetail(status, e.getMessage()));
        }
        if (e instanceof OffsetOutOfRangeException) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
            problem.setProperty("kafkaError", Errors.OFFSET_OUT_OF_RANGE.name());
            return Optional.of(problem);
        }
        if (e instanceof LogOfflineException) {
            return Optional.of(kafkaProblem(Errors.KAFKA_STORAGE_ERROR, e.getMessage()));
        }
        return Optional.empty();
    }

    private static ProblemDetail kafkaProblem(Errors error, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(error), detail != null ? detail : error.message());
        problem.setProperty("kafkaError", error.name());
        return problem;
    }

    /** The HTTP status that says what a Kafka error says. */
    public static HttpStatus status(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, GROUP_ID_NOT_FOUND, BROKER_ID_NOT_REGISTERED -> HttpStatus.NOT_FOUND;
            case TOPIC_ALREADY_EXISTS, NON_EMPTY_GROUP, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS,
                    CONCURRENT_TRANSACTIONS -> HttpStatus.CONFLICT;
            case INVALID_PARTITIONS, INVALID_CONFIG, INVALID_TOPIC_EXCEPTION, INVALID_REPLICATION_FACTOR,
                    INVALID_REQUEST, POLICY_VIOLATION, INVALID_GROUP_ID, OFFSET_METADATA_TOO_LARGE, INVALID_RECORD,
                    CORRUPT_MESSAGE, OFFSET_OUT_OF_RANGE, INVALID_REPLICA_ASSIGNMENT, NO_REASSIGNMENT_IN_PROGRESS
                    -> HttpStatus.BAD_REQUEST;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED,
                    TRANSACTIONAL_ID_AUTHORIZATION_FAILED -> HttpStatus.FORBIDDEN;
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, KAFKA_STORAGE_ERROR,
                    NOT_ENOUGH_REPLICAS, LEADER_NOT_AVAILABLE, REQUEST_TIMED_OUT -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
