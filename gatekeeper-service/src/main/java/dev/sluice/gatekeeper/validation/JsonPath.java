package dev.sluice.gatekeeper.validation;

/**
 * Where the converter is in the input, kept as a cheap stack of member names and array indices; rendered as a
 * JSON path ({@code $.data.items[2].sku}) only when a rejection needs it.
 */
final class JsonPath {

    private Object[] steps = new Object[16];
    private int depth;

    void reset() {
        depth = 0;
    }

    void push(String name) {
        if (depth == steps.length) {
            steps = java.util.Arrays.copyOf(steps, depth * 2);
        }
        steps[depth++] = name;
    }

    void pushIndex(int index) {
        if (depth == steps.length) {
            steps = java.util.Arrays.copyOf(steps, depth * 2);
        }
        steps[depth++] = index;
    }

    void setIndex(int index) {
        steps[depth - 1] = index;
    }

    void pop() {
        depth--;
    }

    String render() {
        StringBuilder path = new StringBuilder("$");
        for (int i = 0; i < depth; i++) {
            if (steps[i] instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append('.').append(steps[i]);
            }
        }
        return path.toString();
    }

    /** The path of a member of the current object, without pushing it. */
    String render(String member) {
        push(member);
        String rendered = render();
        pop();
        return rendered;
    }
}
