package dev.sluice.console.web;

import dev.sluice.console.ConsoleProperties;
import dev.sluice.console.api.ServiceApi;
import dev.sluice.console.api.ServiceError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Privacy operations' pages: file an access or erasure request; the requests with their status and deadline as a
 * countdown; a request's steps (per store) and history; an access export's download (the service's short-lived
 * pre-signed link); an erasure's report.
 */
@Controller
@RequestMapping("/privacy")
class PrivacyController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServiceApi privacy;
    private final ConsoleProperties properties;
    private final Clock clock;

    PrivacyController(@Qualifier("privacy") ServiceApi privacy, ConsoleProperties properties, Clock clock) {
        this.privacy = privacy;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping
    String requests(@RequestParam(required = false) String status, @RequestParam(defaultValue = "false") boolean overdue,
            Model model) {
        List<Map<String, Object>> requests = privacy.list(uri -> {
            if (status != null && !status.isBlank()) {
                uri.queryParam("status", status);
            }
            return uri.path("/requests").queryParam("overdue", overdue).build();
        });
        model.addAttribute("requests", requests.stream().map(this::view).toList());
        model.addAttribute("status", status);
        model.addAttribute("overdue", overdue);
        model.addAttribute("statuses", List.of("RECEIVED", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELED"));
        return "privacy/requests";
    }

    @PostMapping("/requests")
    String file(@RequestParam String type, @RequestParam(defaultValue = "user/id") String entityType,
            @RequestParam String subject, @RequestParam(required = false) String reference, RedirectAttributes redirect) {
        String[] filed = new String[1];
        String page = Pages.act(redirect, "/privacy", "Request filed.", () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            body.put("subject", Map.of("entity_type", Pages.required(entityType, "the entity type"),
                    "id", Pages.required(subject, "the subject's id")));
            if (reference != null && !reference.isBlank()) {
                body.put("reference", reference.trim());
            }
            filed[0] = Pages.text(privacy.post(uri -> uri.path("/requests").build(), body), "id");
        });
        return filed[0] == null ? page : "redirect:/privacy/requests/" + filed[0];
    }

    @GetMapping("/requests/{id}")
    String request(@PathVariable String id, Model model) {
        Map<String, Object> request = view(privacy.get(uri -> uri.path("/requests/{id}").build(id)));
        model.addAttribute("request", request);
        List<String> order = "ERASURE".equals(request.get("type"))
                ? List.of("forget", "scope", "tier-zero", "downstream", "verify") : List.of("scope", "extract", "export");
        Map<String, Object> steps = Pages.object(request, "steps");
        Map<String, Object> times = Pages.object(request, "step_times");
        model.addAttribute("steps", order.stream().map(step -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", step);
            row.put("result", steps.get(step));
            row.put("at", times.get(step));
            row.put("failed", step.equals(request.get("failed_step")));
            return row;
        }).toList());
        if ("ERASURE".equals(request.get("type"))) {
            try {
                model.addAttribute("report", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        privacy.get(uri -> uri.path("/requests/{id}/report").build(id))));
            } catch (ServiceError e) {
                model.addAttribute("reportMissing", e.getMessage());
            }
        }
        return "privacy/request";
    }

    /** The export's download: a redirect to the service's pre-signed link, valid a few minutes. */
    @GetMapping("/requests/{id}/export")
    String export(@PathVariable String id) {
        return "redirect:" + Pages.text(privacy.get(uri -> uri.path("/requests/{id}/export").build(id)), "url");
    }

    @PostMapping("/requests/{id}/cancel")
    String cancel(@PathVariable String id, RedirectAttributes redirect) {
        return Pages.act(redirect, "/privacy/requests/" + id, "Request canceled.", () -> privacy.post(uri -> uri
                .path("/requests/{id}/cancel").build(id), null));
    }

    @PostMapping("/requests/{id}/retry")
    String retry(@PathVariable String id, RedirectAttributes redirect) {
        return Pages.act(redirect, "/privacy/requests/" + id, "Request queued again.", () -> privacy.post(uri -> uri
                .path("/requests/{id}/retry").build(id), null));
    }

    /** A request with its countdown and its subject in one line. */
    private Map<String, Object> view(Map<String, Object> request) {
        Map<String, Object> view = new LinkedHashMap<>(request);
        String deadline = Pages.text(request, "deadline");
        view.put("countdown", Deadline.of(deadline == null ? null : Instant.parse(deadline), Pages.text(request, "status"),
                clock.instant(), properties.deadlineWarning()));
        Map<String, Object> subject = Pages.object(request, "subject");
        view.put("who", subject.get("type") + " " + subject.get("id"));
        return view;
    }
}
