package dev.sluice.core.privacy;

/**
 * A privacy annotation that is present but not well formed.
 *
 * @param path the dotted path of the field that carries it
 * @param annotation the property name ({@code sluice.entity}, ...)
 * @param message what is wrong and how to fix it
 */
public record AnnotationProblem(String path, String annotation, String message) {

    @Override
    public String toString() {
        return "field '" + path + "': " + message;
    }
}
