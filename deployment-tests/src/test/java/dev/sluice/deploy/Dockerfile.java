package dev.sluice.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as the builder reads it: comments dropped, continued lines joined, one instruction per entry,
 * split into stages at each {@code FROM}, with the global {@code ARG}s' defaults for the {@code FROM} lines.
 */
record Dockerfile(Path path, Map<String, String> globalArgs, List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** The last USER of the stage, or null (the base image's). */
        String user() {
            List<String> users = all("USER");
            return users.isEmpty() ? null : users.get(users.size() - 1);
        }
    }

    static Dockerfile read(Path path) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(space < 0 ? new Instruction(text.toUpperCase(), "")
                    : new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        Stage stage = null;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String[] parts = instruction.arguments().split("\\s+");
                String image = expand(parts[0], globalArgs);
                String name = parts.length >= 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : null;
                stage = new Stage(image, name, new ArrayList<>());
                stages.add(stage);
            } else if (stage == null) {
                if (instruction.keyword().equals("ARG")) {
                    String[] arg = instruction.arguments().split("=", 2);
                    globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
                }
            } else {
                stage.instructions().add(instruction);
            }
        }
        return new Dockerfile(path, globalArgs, stages);
    }

    static String expand(String text, Map<String, String> args) {
        Matcher reference = Pattern.compile("\\$\\{([A-Za-z_]+)}").matcher(text);
        return reference.replaceAll(m -> Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
