package io.tributary.client.topics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every topic the service declares, its dead-letter topics included, by name. */
public final class TopicDeclarations {

    private final Map<String, TopicDeclaration> byName = new LinkedHashMap<>();

    public TopicDeclarations(Collection<TopicDeclaration> declarations, boolean deadLetters, String deadLetterSuffix) {
        for (TopicDeclaration declaration : declarations) {
            add(declaration);
            if (deadLetters && declaration.deadLetter()) {
                add(declaration.deadLetterTopic(deadLetterSuffix));
            }
        }
    }

    private void add(TopicDeclaration declaration) {
        TopicDeclaration previous = byName.putIfAbsent(declaration.name(), declaration);
        if (previous != null && !previous.equals(declaration)) {
            throw new IllegalStateException("Topic '" + declaration.name() + "' is declared twice, differently: "
                    + previous + " and " + declaration);
        }
    }

    public List<TopicDeclaration> all() {
        return List.copyOf(byName.values());
    }

    public Optional<TopicDeclaration> find(String topic) {
        return Optional.ofNullable(byName.get(topic));
    }

    public boolean keyRequired(String topic) {
        TopicDeclaration declaration = byName.get(topic);
        return declaration != null && declaration.keyRequired();
    }
}
