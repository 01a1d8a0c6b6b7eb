package dev.sluice.console.web;

import dev.sluice.console.api.ServiceApi;
import dev.sluice.console.api.ServiceError;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriBuilder;

/**
 * The DPO's pages: the queue of pending grants, each with its context (the reservoir, the columns it would expose
 * and what the schema says they hold, the purpose, the expiry asked, who asked); approve (optionally until an earlier
 * day) or deny with a reason; the active grants with a revoke action; the audit with filters and its chain check.
 * Nobody decides their own request: the governance service refuses it, and the page shows its refusal.
 */
@Controller
@RequestMapping("/dpo")
class DpoController {

    private final ServiceApi governance;

    DpoController(@Qualifier("governance") ServiceApi governance) {
        this.governance = governance;
    }

    @GetMapping
    String queue(Model model) {
        List<Map<String, Object>> pending = AnalystController.grantViews(governance.list(uri -> uri.path("/grants")
                .queryParam("status", "PENDING").build()));
        Map<String, Map<String, Object>> policies = new HashMap<>();
        List<Map<String, Object>> queue = new ArrayList<>();
        for (Map<String, Object> grant : pending) {
            Map<String, Object> item = new LinkedHashMap<>(grant);
            item.put("columns", context(grant, policies));
            queue.add(item);
        }
        model.addAttribute("queue", queue);
        return "dpo/queue";
    }

    /** The columns of the grant's reservoir that it would expose, with their current action and annotations. */
    private List<Map<String, Object>> context(Map<String, Object> grant, Map<String, Map<String, Object>> policies) {
        String reservoir = Pages.text(grant, "reservoir");
        if (reservoir == null || "*".equals(reservoir)) {
            return List.of();
        }
        Map<String, Object> policy;
        try {
            policy = policies.computeIfAbsent(reservoir, name -> governance.get(uri -> uri
                    .path("/reservoirs/{name}/policy").build(name)));
        } catch (ServiceError e) {
            return List.of(Map.of("path", "(the policy could not be read: " + e.getMessage() + ")"));
        }
        Map<String, Object> selector = Pages.object(grant, "selector");
        List<Map<String, Object>> columns = new ArrayList<>();
        for (Map<String, Object> type : Pages.objects(policy, "event_types")) {
            String eventType = Pages.text(type, "event_type");
            for (Map<String, Object> column : Pages.objects(type, "columns")) {
                if (Selectors.covers(selector, eventType, column)) {
                    Map<String, Object> view = new LinkedHashMap<>(column);
                    view.put("event_type", eventType);
                    columns.add(view);
                }
            }
        }
        return columns;
    }

    @PostMapping("/grants/{id}/approve")
    String approve(@PathVariable String id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
            RedirectAttributes redirect) {
        return Pages.act(redirect, "/dpo", "Grant " + id + " approved.", () -> {
            Map<String, Object> decision = new LinkedHashMap<>();
            if (until != null) {
                decision.put("expires_at", Pages.endOf(until).toString());
            }
            governance.post(uri -> uri.path("/grants/{id}/approve").build(id), decision);
        });
    }

    @PostMapping("/grants/{id}/deny")
    String deny(@PathVariable String id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return Pages.act(redirect, "/dpo", "Grant " + id + " denied.", () -> governance.post(uri -> uri
                .path("/grants/{id}/deny").build(id), Map.of("reason", Pages.required(reason, "a reason"))));
    }

    @GetMapping("/grants")
    String active(Model model) {
        model.addAttribute("grants", AnalystController.grantViews(governance.list(uri -> uri.path("/grants")
                .queryParam("status", "APPROVED").build())));
        return "dpo/grants";
    }

    @PostMapping("/grants/{id}/revoke")
    String revoke(@PathVariable String id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        return Pages.act(redirect, "/dpo/grants", "Grant " + id + " revoked.", () -> governance.post(uri -> uri
                .path("/grants/{id}/revoke").build(id), Map.of("reason", Pages.required(reason, "a reason"))));
    }

    /** The audit page's filter, bound from its form's fields and shown in them again. */
    record AuditFilter(String actor, String action, String target,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {

        /** The audit API's query: the filled fields, the days as instants (from the start of one, through the other). */
        URI query(UriBuilder uri) {
            blankless(uri, "actor", actor);
            blankless(uri, "action", action);
            blankless(uri, "target", target);
            if (from != null) {
                uri.queryParam("from", from.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (to != null) {
                uri.queryParam("to", Pages.endOf(to));
            }
            return uri.path("/audit").queryParam("limit", 500).build();
        }

        private static void blankless(UriBuilder uri, String name, String value) {
            if (value != null && !value.isBlank()) {
                uri.queryParam(name, value.trim());
            }
        }
    }

    @GetMapping("/audit")
    String audit(@ModelAttribute("filter") AuditFilter filter, Model model) {
        model.addAttribute("entries", governance.list(filter::query));
        model.addAttribute("verification", governance.get(uri -> uri.path("/audit/verify").build()));
        return "dpo/audit";
    }
}
