package dev.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chart rendered by {@code helm template} (Helm's own code, through helm-java) for one values file, every
 * manifest parsed by fabric8's Kubernetes models and checked to hold no field the models do not know (a misspelt or
 * misplaced field would otherwise be ignored by the API server's lenient decoding, or refused only at install).
 */
final class RenderedChart {

    static final Path CHART = Path.of("..", "helm", "sluice").toAbsolutePath().normalize();
    static final String RELEASE = "acme";
    static final String NAMESPACE = "sluice";
    static final String KUBE_VERSION = "1.31.0";
    /** Kinds for which fabric8 has no model: the Prometheus operator's. */
    static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor");

    final String yaml;
    final List<HasMetadata> objects;

    private RenderedChart(String yaml) {
        this.yaml = yaml;
        this.objects = parse(yaml);
    }

    /** Renders with the chart's defaults, then the values file (if any), then the {@code --set} pairs. */
    static RenderedChart render(String valuesFile, Map<String, Object> set) {
        var template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(CHART.resolve("ci").resolve(valuesFile));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return new RenderedChart(template.call());
    }

    static RenderedChart render(String valuesFile) {
        return render(valuesFile, Map.of());
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> parsed = new ArrayList<>();
        KubernetesSerialization serialization = new KubernetesSerialization();
        try {
            // one document at a time: fabric8 picks the model class by apiVersion and kind
            for (Object document : new ObjectMapper(new YAMLFactory()).readerFor(Map.class).readValues(yaml).readAll()) {
                if (document == null) {
                    continue;
                }
                String text = new ObjectMapper().writeValueAsString(document);
                HasMetadata object = serialization.unmarshal(text, HasMetadata.class);
                if (!CUSTOM_KINDS.contains(object.getKind())) {
                    assertThat(object).as(object.getKind() + " is a known model").isNotInstanceOf(GenericKubernetesResource.class);
                    assertThat(unknownFields(object, object.getKind()))
                            .as("fields of %s %s that Kubernetes' models do not know", object.getKind(),
                                    object.getMetadata().getName()).isEmpty();
                }
                parsed.add(object);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse the rendered chart:\n" + yaml, e);
        }
        return parsed;
    }

    /** Every non-empty {@code additionalProperties} in the object's tree of models, by path. */
    static List<String> unknownFields(Object model, String path) {
        List<String> unknown = new ArrayList<>();
        walk(model, path, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object field = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    walk(field, path + "." + getter.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).map(GenericKubernetesResource.class::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in:\n" + kinds()));
    }

    Map<String, Long> kinds() {
        return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, java.util.TreeMap::new,
                Collectors.counting()));
    }

    /** The pod templates of the workloads (Deployments and StatefulSets), by component. */
    Map<String, PodTemplateSpec> workloads() {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> pods.put(component(d), d.getSpec().getTemplate()));
        all(StatefulSet.class).forEach(s -> pods.put(component(s), s.getSpec().getTemplate()));
        return pods;
    }

    static String component(HasMetadata object) {
        return object.getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    static Container container(PodTemplateSpec pod) {
        return pod.getSpec().getContainers().get(0);
    }

    static Map<String, EnvVar> env(PodTemplateSpec pod) {
        return container(pod).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity(),
                (a, b) -> { throw new AssertionError("duplicate variable " + a.getName()); }, LinkedHashMap::new));
    }

    static Optional<String> value(PodTemplateSpec pod, String variable) {
        return Optional.ofNullable(env(pod).get(variable)).map(EnvVar::getValue);
    }
}
