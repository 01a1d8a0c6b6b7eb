package dev.sluice.core.privacy;

import java.io.Serializable;
import java.util.Objects;

/**
 * One entity: its type as the schemas annotate it ({@code sluice.entity}, e.g. {@code user/id}) and its id as text
 * (numbers in their decimal form), the key of the reverse index, the relations and the privacy requests.
 * Serializable: Spark ships the entities a job looks for to its executors.
 */
public record EntityRef(String type, String id) implements Serializable {

    public EntityRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return type + ":" + id;
    }
}
