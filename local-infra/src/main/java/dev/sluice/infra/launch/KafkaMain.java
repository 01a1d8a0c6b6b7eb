package dev.sluice.infra.launch;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Formats the KRaft storage (if not formatted yet) and starts the Kafka server, in one JVM:
 * {@code KafkaMain <server.properties> <cluster-id>}. Saves the seconds of a separate StorageTool JVM.
 * Kafka's classes are reached by reflection because this class may use the JDK only.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] args) throws Throwable {
        String config = args[0];
        String clusterId = args[1];
        int formatted = (int) invoke("kafka.tools.StorageTool", "execute", new Class<?>[] {String[].class, PrintStream.class},
                new String[] {"format", "-t", clusterId, "-c", config, "--ignore-formatted"}, System.out);
        if (formatted != 0) {
            System.err.println("[local-infra] formatting the KRaft storage failed with exit code " + formatted);
            System.exit(formatted);
        }
        invoke("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {config});
    }

    /** Unwraps the reflective layer so that the log shows Kafka's own exception first. */
    private static Object invoke(String type, String method, Class<?>[] parameters, Object... args) throws Throwable {
        try {
            return Class.forName(type).getMethod(method, parameters).invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
