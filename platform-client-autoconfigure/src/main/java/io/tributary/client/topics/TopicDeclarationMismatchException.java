package io.tributary.client.topics;

import java.util.List;

/** Existing topics differ from what the service declares; start-up stops rather than run on the wrong topic. */
public class TopicDeclarationMismatchException extends IllegalStateException {

    public TopicDeclarationMismatchException(List<String> mismatches) {
        super("Declared topics do not match the cluster (set tributary.admin.fail-on-mismatch=false to only log this):\n  - "
                + String.join("\n  - ", mismatches));
    }
}
