package dev.sluice.console.web;

import dev.sluice.console.ConsoleProperties;
import dev.sluice.console.api.ServiceApi;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
 * An analyst's pages: the reservoirs they belong to; per reservoir, its tables in the catalog and the effective
 * policy of each column with why (rule, grant, default), their grant requests and a form to ask for more.
 * The governance service decides what they may see; a reservoir they do not belong to is its refusal.
 */
@Controller
@RequestMapping("/analyst")
class AnalystController {

    private final ServiceApi governance;
    private final ConsoleProperties properties;
    private final Clock clock;

    AnalystController(@Qualifier("governance") ServiceApi governance, ConsoleProperties properties, Clock clock) {
        this.governance = governance;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping
    String reservoirs(Model model) {
        model.addAttribute("reservoirs", governance.list(uri -> uri.path("/reservoirs").build()));
        model.addAttribute("grants", grantViews(governance.list(uri -> uri.path("/grants").build())));
        return "analyst/reservoirs";
    }

    @GetMapping("/reservoirs/{name}")
    String reservoir(@PathVariable String name, Model model) {
        Map<String, Object> reservoir = governance.get(uri -> uri.path("/reservoirs/{name}").build(name));
        Map<String, Object> policy = governance.get(uri -> uri.path("/reservoirs/{name}/policy").build(name));
        List<Map<String, Object>> types = Pages.objects(policy, "event_types");
        List<Map<String, String>> tables = new ArrayList<>();
        List<Map<String, String>> targets = new ArrayList<>();
        TreeSet<String> tags = new TreeSet<>();
        for (Map<String, Object> type : types) {
            String eventType = Pages.text(type, "event_type");
            tables.add(Map.of("table", eventType, "location", properties.tierOne().replaceAll("/+$", "") + "/" + name
                    + "/events/" + eventType + "/"));
            for (Map<String, Object> column : Pages.objects(type, "columns")) {
                if (Boolean.TRUE.equals(column.get("personal")) || !"SHOW".equals(column.get("action"))) {
                    targets.add(Map.of("value", "field:" + eventType + ":" + column.get("path"),
                            "label", eventType + "." + column.get("path") + " (now " + column.get("action") + ")"));
                }
                if (column.get("tags") instanceof List<?> columnTags) {
                    columnTags.forEach(tag -> tags.add(String.valueOf(tag)));
                }
            }
        }
        tags.forEach(tag -> targets.add(Map.of("value", "tag:" + tag, "label", "every column tagged " + tag)));
        model.addAttribute("reservoir", reservoir);
        model.addAttribute("types", types);
        model.addAttribute("database", properties.catalogDatabasePrefix() + name);
        model.addAttribute("tables", tables);
        model.addAttribute("targets", targets);
        model.addAttribute("defaultExpiry", LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(30));
        model.addAttribute("grants", grantViews(governance.list(uri -> uri.path("/grants")
                .queryParam("reservoir", name).build())));
        return "analyst/reservoir";
    }

    @PostMapping("/reservoirs/{name}/grants")
    String requestGrant(@PathVariable String name, @RequestParam String target, @RequestParam String action,
            @RequestParam String purpose, @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate expires,
            RedirectAttributes redirect) {
        return Pages.act(redirect, "/analyst/reservoirs/" + name, "Your request is waiting for the DPO.", () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("selector", Selectors.fromForm(target));
            body.put("action", action);
            body.put("purpose", Pages.required(purpose, "the purpose"));
            body.put("expires_at", Pages.endOf(expires).toString());
            governance.post(uri -> uri.path("/reservoirs/{name}/grants").build(name), body);
        });
    }

    /** Grants as the tables show them: the selector described. */
    static List<Map<String, Object>> grantViews(List<Map<String, Object>> grants) {
        return grants.stream().map(grant -> {
            Map<String, Object> view = new LinkedHashMap<>(grant);
            view.put("what", Selectors.describe(Pages.object(grant, "selector")));
            return view;
        }).toList();
    }
}
