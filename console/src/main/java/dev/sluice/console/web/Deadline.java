package dev.sluice.console.web;

import java.time.Duration;
import java.time.Instant;

/**
 * A privacy request's deadline as a countdown: {@code ok} (green), {@code soon} (amber: within the warning period,
 * a week by default) or {@code overdue} (red), and a text for people. A request that is over has no countdown.
 */
record Deadline(String state, String text) {

    static Deadline of(Instant deadline, String status, Instant now, Duration warning) {
        if (deadline == null) {
            return new Deadline("none", "no deadline");
        }
        if ("COMPLETED".equals(status) || "CANCELED".equals(status)) {
            return new Deadline("over", "closed");
        }
        Duration left = Duration.between(now, deadline);
        if (left.isNegative()) {
            return new Deadline("overdue", "overdue by " + span(left.negated()));
        }
        return new Deadline(left.compareTo(warning) <= 0 ? "soon" : "ok", span(left) + " left");
    }

    /** Days, or hours in the last day, or minutes in the last hour. */
    static String span(Duration duration) {
        long days = duration.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = duration.toHours();
        if (hours >= 1) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(1, duration.toMinutes());
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
