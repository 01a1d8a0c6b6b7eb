package dev.sluice.lake;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs a lake job with {@code --master local[*]} in a child JVM on this machine (the local default;
 * on a cluster the same main class is given to {@code spark-submit}).
 */
public final class LocalJob {

    /** What Spark needs opened on JDK 17 (org.apache.spark.launcher.JavaModuleOptions; the same list is in pom.xml). */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private LocalJob() {
    }

    /**
     * @param classpath the lake-jobs jar and its dependencies
     * @param heap the child's -Xmx, e.g. {@code 1g}
     * @param arguments the job's own arguments (without {@code --master})
     */
    public static List<String> command(Path javaHome, List<Path> classpath, String heap, String mainClass, int cores,
            List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-Xmx" + heap);
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(List.of("--master", "local[" + (cores <= 0 ? "*" : Integer.toString(cores)) + "]"));
        command.addAll(arguments);
        return command;
    }
}
