package dev.sluice.console.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * The {@code Authorization} header that carries the signed-in user to a service: their own basic credentials after
 * a password sign-in, their access token (refreshed when it expires) after an OpenID Connect sign-in.
 */
@Component
public class CallerAuthorization {

    private final ObjectProvider<OAuth2AuthorizedClientManager> clients;

    CallerAuthorization(ObjectProvider<OAuth2AuthorizedClientManager> clients) {
        this.clients = clients;
    }

    /** The current user's header; refuses when nobody is signed in (no call is ever made as the console itself). */
    public String header() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && user.getDetails() instanceof RelayedCredentials relayed) {
            return relayed.authorization();
        }
        if (user instanceof OAuth2AuthenticationToken token && clients.getIfAvailable() != null) {
            OAuth2AuthorizedClient client = clients.getObject().authorize(OAuth2AuthorizeRequest
                    .withClientRegistrationId(token.getAuthorizedClientRegistrationId()).principal(token).build());
            if (client != null) {
                return "Bearer " + client.getAccessToken().getTokenValue();
            }
        }
        throw new InsufficientAuthenticationException("no signed-in user to call the services as");
    }
}
