package io.tributary.broker.fetch;

import org.apache.kafka.common.protocol.Errors;

/**
 * A fetch request as its session makes it: refused, a full fetch answered without a session, a full
 * fetch whose answer opens a session, or an incremental fetch of {@link #session()}.
 */
public record FetchContext(Kind kind, Errors error, boolean usesTopicIds, FetchSession session) {

    public enum Kind { FAILED, SESSIONLESS, NEW_SESSION, INCREMENTAL }

    static FetchContext failed(Errors error) {
        return new FetchContext(Kind.FAILED, error, false, null);
    }

    static FetchContext sessionless() {
        return new FetchContext(Kind.SESSIONLESS, Errors.NONE, false, null);
    }

    static FetchContext newSession(boolean usesTopicIds) {
        return new FetchContext(Kind.NEW_SESSION, Errors.NONE, usesTopicIds, null);
    }

    static FetchContext incremental(FetchSession session) {
        return new FetchContext(Kind.INCREMENTAL, Errors.NONE, session.usesTopicIds(), session);
    }
}
