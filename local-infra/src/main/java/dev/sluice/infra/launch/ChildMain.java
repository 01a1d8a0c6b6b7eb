package dev.sluice.infra.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every server JVM that local-infra starts: {@code ChildMain <parent-pid> <main-class> [args...]}.
 *
 * <p>A watchdog polls the parent process; when the parent is gone (even after {@code kill -9}) it calls
 * {@link System#exit}, so the server's own shutdown hooks stop it cleanly, and halts the JVM if they hang.
 * This class is copied into its own directory for the child classpath and may use the JDK only.
 */
public final class ChildMain {

    private static final long POLL_MILLIS = 500;
    private static final long HALT_AFTER_MILLIS = 30_000;

    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ChildMain <parent-pid> <main-class> [args...]");
            System.exit(2);
        }
        watchParent(Long.parseLong(args[0]));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watchParent(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Thread watchdog = new Thread(() -> {
            // ProcessHandle.isAlive also compares start times, so a recycled PID does not keep us alive
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("[local-infra] parent process " + parentPid + " is gone; stopping this server");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(HALT_AFTER_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("[local-infra] graceful stop took too long; halting");
                Runtime.getRuntime().halt(1);
            }, "local-infra-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "local-infra-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
