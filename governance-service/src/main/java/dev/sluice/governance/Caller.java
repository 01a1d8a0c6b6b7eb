package dev.sluice.governance;

import dev.sluice.spring.security.Roles;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Who calls: the name the audit records, and the roles. */
public record Caller(String name, Set<String> roles) {

    public static Caller of(Authentication authentication) {
        return new Caller(authentication.getName(), authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5))
                .collect(Collectors.toUnmodifiableSet()));
    }

    public boolean is(String role) {
        return roles.contains(role);
    }

    /** An analyst and nothing more: sees only the reservoirs they belong to, and their own requests. */
    public boolean onlyAnalyst() {
        return is(Roles.ANALYST) && !is(Roles.DPO) && !is(Roles.PLATFORM_ADMIN);
    }
}
