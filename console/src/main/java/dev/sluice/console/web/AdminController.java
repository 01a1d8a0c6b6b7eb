package dev.sluice.console.web;

import dev.sluice.console.api.ServiceApi;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The platform admin's page: reservoirs (create) and rules (add, remove). A rule that would expose more personal
 * data does not take effect at once: the governance service files it for the DPO, and the page says so.
 */
@Controller
@RequestMapping("/admin")
class AdminController {

    private final ServiceApi governance;

    AdminController(@Qualifier("governance") ServiceApi governance) {
        this.governance = governance;
    }

    @GetMapping
    String index(Model model) {
        model.addAttribute("reservoirs", governance.list(uri -> uri.path("/reservoirs").build()));
        model.addAttribute("rules", governance.list(uri -> uri.path("/rules").build()).stream().map(rule -> {
            Map<String, Object> view = new LinkedHashMap<>(rule);
            view.put("what", Selectors.describe(Pages.object(rule, "selector")));
            return view;
        }).toList());
        return "admin/index";
    }

    @PostMapping("/reservoirs")
    String createReservoir(@RequestParam String name, @RequestParam String owningTeam,
            @RequestParam(defaultValue = "") String members, @RequestParam int retentionDays,
            @RequestParam(defaultValue = "") String eventTypes, RedirectAttributes redirect) {
        return Pages.act(redirect, "/admin", "Reservoir " + name + " created.", () -> governance.post(uri -> uri
                .path("/reservoirs").build(), Map.of("name", name.trim(), "owning_team", owningTeam.trim(),
                "members", words(members), "retention_days", retentionDays, "event_types", words(eventTypes))));
    }

    @PostMapping("/rules")
    String addRule(@RequestParam(defaultValue = "") String reservoir, @RequestParam String selector,
            @RequestParam String action, @RequestParam(required = false) String purpose,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate expires,
            RedirectAttributes redirect) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        String page = Pages.act(redirect, "/admin", "Rule added.", () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (!reservoir.isBlank()) {
                body.put("reservoir", reservoir.trim());
            }
            body.put("selector", Selectors.fromForm(selector));
            body.put("action", action);
            if (purpose != null && !purpose.isBlank()) {
                body.put("purpose", purpose.trim());
            }
            if (expires != null) {
                body.put("expires_at", Pages.endOf(expires).toString());
            }
            outcome.putAll(governance.post(uri -> uri.path("/rules").build(), body));
        });
        if (outcome.get("pending_grant") != null) {
            redirect.addFlashAttribute("notice", "The rule would expose more personal data: it waits for the DPO "
                    + "(grant " + outcome.get("pending_grant") + ").");
        }
        return page;
    }

    @PostMapping("/rules/{id}/delete")
    String deleteRule(@PathVariable String id, RedirectAttributes redirect) {
        return Pages.act(redirect, "/admin", "Rule " + id + " removed.", () -> governance.delete(uri -> uri
                .path("/rules/{id}").build(id)));
    }

    /** Names separated by commas or spaces. */
    static List<String> words(String text) {
        return Arrays.stream(text.split("[,\\s]+")).filter(word -> !word.isBlank()).toList();
    }
}
