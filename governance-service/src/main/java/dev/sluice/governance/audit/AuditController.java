package dev.sluice.governance.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.OutputStream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Audit", description = "Every change and decision, chained by hashes (DPO)")
class AuditController {

    private final AuditLog audit;
    private final JsonMapper json;

    AuditController(AuditLog audit, JsonMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/audit")
    @Operation(summary = "Entries in order, filtered", description = "actor, action (exact or a prefix ending with .), "
            + "target, from and to (ISO instants), at most limit of them")
    List<AuditEntry> list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(defaultValue = "1000") int limit) {
        List<AuditEntry> entries = new ArrayList<>();
        audit.forEach((java.util.function.Predicate<AuditEntry>) entry -> {
            if (matches(entry, actor, action, target, from, to)) {
                entries.add(entry);
            }
            return entries.size() < Math.max(1, Math.min(limit, 100_000));
        });
        return entries;
    }

    @GetMapping(value = "/audit/export", produces = "application/x-ndjson")
    @Operation(summary = "Every entry as JSON lines, filtered like /audit (no limit)")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String actor,
            @RequestParam(required = false) String action, @RequestParam(required = false) String target,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to) {
        StreamingResponseBody body = out -> audit.forEach((java.util.function.Consumer<AuditEntry>) entry -> {
            if (matches(entry, actor, action, target, from, to)) {
                write(out, entry);
            }
        });
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header("Content-Disposition", "attachment; filename=\"sluice-audit.jsonl\"").body(body);
    }

    @GetMapping("/audit/verify")
    @Operation(summary = "Recompute the hash chain", description = "intact, how many entries were checked, and the "
            + "first entry that does not match, with what is wrong with it")
    AuditLog.Verification verify() {
        return audit.verify();
    }

    private void write(OutputStream out, AuditEntry entry) {
        try {
            out.write(json.writeValueAsBytes(entry));
            out.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean matches(AuditEntry entry, String actor, String action, String target, Instant from, Instant to) {
        return (actor == null || actor.equals(entry.actor()))
                && (action == null || (action.endsWith(".") ? entry.action().startsWith(action) : action.equals(entry.action())))
                && (target == null || target.equals(entry.target()))
                && (from == null || !entry.at().isBefore(from))
                && (to == null || entry.at().isBefore(to));
    }

}
