package dev.sluice.console.web;

import dev.sluice.console.api.ServiceError;
import dev.sluice.spring.security.LocalUsers;
import dev.sluice.spring.security.SecurityProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/** Sign-in, the start page (what this user may do), the refusal page, and what every page knows about its user. */
@Controller
@ControllerAdvice
class HomeController {

    /** A section of the console and the role it needs. */
    record Section(String path, String title, String role, String description) {
    }

    static final List<Section> SECTIONS = List.of(
            new Section("/analyst", "My reservoirs", "ANALYST", "the reservoirs you belong to, their policy column by "
                    + "column and why, your grant requests"),
            new Section("/dpo", "Grant queue", "DPO", "pending grants with their context, approve or deny"),
            new Section("/dpo/grants", "Active grants", "DPO", "approved grants, their expiry, revoke"),
            new Section("/dpo/audit", "Audit", "DPO", "the audit trail and its chain verification"),
            new Section("/privacy", "Privacy requests", "PRIVACY_OPS", "file access and erasure requests, follow their "
                    + "deadlines and progress, download exports"),
            new Section("/admin", "Reservoirs and rules", "PLATFORM_ADMIN", "create reservoirs, add and remove rules"));

    private final SecurityProperties security;
    private final ObjectProvider<ClientRegistrationRepository> registrations;

    HomeController(SecurityProperties security, ObjectProvider<ClientRegistrationRepository> registrations) {
        this.security = security;
        this.registrations = registrations;
    }

    /** The signed-in user's name and the sections their roles open, for the navigation of every page. */
    @ModelAttribute
    void user(Model model, Authentication user) {
        if (user == null || !user.isAuthenticated()) {
            return;
        }
        List<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        model.addAttribute("userName", user.getName());
        model.addAttribute("userRoles", roles);
        model.addAttribute("sections", SECTIONS.stream().filter(s -> roles.contains(s.role())).toList());
    }

    @GetMapping("/login")
    String login(Model model) {
        List<Map<String, String>> providers = new ArrayList<>();
        if (registrations.getIfAvailable() instanceof Iterable<?> all) {
            for (Object registration : all) {
                ClientRegistration client = (ClientRegistration) registration;
                providers.add(Map.of("name", client.getClientName(), "url", "/oauth2/authorization/"
                        + client.getRegistrationId()));
            }
        }
        model.addAttribute("providers", providers);
        model.addAttribute("passwords", security.localMode() || !security.users().isEmpty());
        model.addAttribute("localUsers", security.localMode() && security.users().isEmpty()
                ? LocalUsers.USERS.stream().map(u -> u.name() + " (" + String.join(", ", u.roles()) + ")").toList()
                : List.of());
        return "login";
    }

    @GetMapping("/")
    String home() {
        return "home";
    }

    /** Spring Security forwards a refused request of any method here (a form posted without its CSRF token too). */
    @RequestMapping("/denied")
    String denied(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        return "denied";
    }

    /** A page whose service refused or failed: the service's words, with its status (403 stays a refusal). */
    @ExceptionHandler(ServiceError.class)
    String serviceError(ServiceError error, Model model, Authentication user, HttpServletResponse response) {
        user(model, user);
        response.setStatus(error.status() >= 400 && error.status() < 600 ? error.status() : 502);
        model.addAttribute("service", error.service());
        model.addAttribute("status", error.status());
        model.addAttribute("detail", error.getMessage());
        return error.status() == 403 ? "denied" : "problem";
    }
}
