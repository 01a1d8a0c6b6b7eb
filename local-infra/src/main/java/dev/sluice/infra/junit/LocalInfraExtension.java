package dev.sluice.infra.junit;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts ONE shared {@link LocalInfra} per test run, kept in the root store so that JUnit closes it when the run
 * ends, and hands its endpoints to the tests as system properties and as a {@code LocalInfra} parameter.
 */
public final class LocalInfraExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalInfraExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureStarted(context);
    }

    /** With a per-class test instance, Spring may build its context before beforeAll: start here too. */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        ensureStarted(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalInfra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return ensureStarted(context);
    }

    private static LocalInfra ensureStarted(ExtensionContext context) {
        LocalInfra infra = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(LocalInfra.class, key -> LocalInfra.builder().build(), LocalInfra.class);
        infra.start(requiredServers(context));
        infra.springProperties().forEach(System::setProperty);
        return infra;
    }

    private static Set<Server> requiredServers(ExtensionContext context) {
        Set<Server> servers = EnumSet.noneOf(Server.class);
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            c.getTestClass()
                    .flatMap(type -> AnnotationSupport.findAnnotation(type, LocalInfraTest.class))
                    .ifPresent(annotation -> servers.addAll(Arrays.asList(annotation.value())));
        }
        return servers.isEmpty() ? EnumSet.allOf(Server.class) : servers;
    }
}
