package dev.sluice.console.web;

import dev.sluice.console.api.ServiceError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What the page controllers share: messages after a form, and reading the services' JSON. */
final class Pages {

    private Pages() {
    }

    /** Runs a form's action; the page it redirects to says what happened, or what the service refused and why. */
    static String act(RedirectAttributes redirect, String to, String done, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
        } catch (ServiceError e) {
            redirect.addFlashAttribute("problem", "The " + e.service() + " service refused: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:" + to;
    }

    /** The end of a day picked in a form (UTC): a grant "until 2027-01-31" holds through that day. */
    static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static String text(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value.trim();
    }
}
