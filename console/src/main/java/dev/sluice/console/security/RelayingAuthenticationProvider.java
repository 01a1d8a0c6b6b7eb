package dev.sluice.console.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password sign-in against the same users the services have (the local users, or the configured ones): the
 * password is checked here, then kept as {@link RelayedCredentials} in the authentication's details for the calls to
 * the services. Spring Security erases the password from the authentication itself after sign-in.
 */
final class RelayingAuthenticationProvider implements AuthenticationProvider {

    private final DaoAuthenticationProvider users;

    RelayingAuthenticationProvider(UserDetailsService userDetails, PasswordEncoder encoder) {
        this.users = new DaoAuthenticationProvider(userDetails);
        this.users.setPasswordEncoder(encoder);
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        Authentication checked = users.authenticate(attempt);
        UsernamePasswordAuthenticationToken signedIn = UsernamePasswordAuthenticationToken.authenticated(
                checked.getPrincipal(), null, checked.getAuthorities());
        signedIn.setDetails(RelayedCredentials.basic(attempt.getName(), String.valueOf(attempt.getCredentials())));
        return signedIn;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
