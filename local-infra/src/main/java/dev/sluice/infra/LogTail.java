package dev.sluice.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The last lines of a log file, read from its end so that large logs cost nothing. */
final class LogTail {

    /** ServerProcess writes this line before each start, so that a kept log's older runs can be skipped. */
    static final String START_BANNER = "=== local-infra: starting ";
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern PROBLEM = Pattern.compile("ERROR|Exception|Caused by|FATAL");

    private LogTail() {
    }

    /** The lines that report errors (at most {@code max}, the last ones), to put above a plain tail. */
    static List<String> problems(Path log, int max) {
        List<String> problems = lines(log).stream().filter(line -> PROBLEM.matcher(line).find())
                .filter(line -> !line.startsWith("\tat ")).distinct().toList();
        return problems.subList(Math.max(0, problems.size() - max), problems.size());
    }

    static String of(Path log, int lines) {
        if (!Files.exists(log)) {
            return "(no log written yet)";
        }
        List<String> all = lines(log);
        if (all.isEmpty()) {
            return "(log is empty)";
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The lines of the last 64 KiB of the log, from the last start on. */
    private static List<String> lines(Path log) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(START_BANNER)) {
                    return lines.subList(i, lines.size());
                }
            }
            return lines;
        } catch (IOException e) {
            return List.of("(log unreadable: " + e.getMessage() + ")");
        }
    }
}
