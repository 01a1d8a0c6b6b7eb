package dev.sluice.deploy;

import static dev.sluice.deploy.RenderedChart.container;
import static dev.sluice.deploy.RenderedChart.env;
import static dev.sluice.deploy.RenderedChart.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm/sluice without a cluster: {@code helm lint --strict} and {@code helm template} (Helm's own code through
 * helm-java) for the defaults and each file in {@code ci/}, every manifest parsed by Kubernetes' models, and what an
 * operator relies on: probes on the health groups, security contexts, secrets only by reference, each connection's
 * security reaching every service, autoscaling bounded by the topics' partitions, RBAC confined to the namespace.
 */
class HelmChartTest {

    static final Set<String> SERVICES = Set.of("registry", "gatekeeper", "dedup", "datapump", "governance", "privacy",
            "catalog", "console");
    static final Set<String> CASSANDRA_USERS = Set.of("dedup", "datapump", "governance", "privacy");
    /** Variable names that hold secrets: never a literal value, always a reference. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|USER_INFO|CLIENT_ID|USERNAME).*");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "minimal-values.yaml", "production-values.yaml"})
    void lintsStrictlyWithTheDefaultsAndEachCiFile(String valuesFile) throws IOException {
        LintResult lint = new Helm(chartWith(valuesFile)).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void theSchemaRefusesWrongValues() throws IOException {
        LintResult lint = new Helm(chartWith("invalid-values.yaml")).lint().strict().call();
        assertThat(lint.isFailed()).isTrue();
        String messages = String.join("\n", lint.getMessages());
        assertThat(messages).contains("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> RenderedChart.render("invalid-values.yaml"))
                .hasMessageContaining("securityProtocol").hasMessageContaining("replicas")
                .hasMessageContaining("value").hasMessageContaining("tag");
    }

    @Test
    void theDefaultsRenderEveryServiceWithProbesSecurityContextsAndResources() {
        RenderedChart chart = RenderedChart.render(null);
        Map<String, PodTemplateSpec> workloads = chart.workloads();
        assertThat(workloads.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        // the gatekeeper's pod name is its Kafka transactional id; the catalog keeps its files on a volume
        assertThat(chart.all(StatefulSet.class)).extracting(RenderedChart::component)
                .containsExactlyInAnyOrder("gatekeeper", "catalog");
        assertThat(chart.one(StatefulSet.class, "acme-sluice-catalog").getSpec().getVolumeClaimTemplates()).hasSize(1);
        // the privacy service is replaced, not rolled: no older version writes the index while a new one moves it
        assertThat(chart.all(Deployment.class)).allSatisfy(deployment -> assertThat(deployment.getSpec().getStrategy() == null
                ? null : deployment.getSpec().getStrategy().getType()).as(RenderedChart.component(deployment))
                .isEqualTo(RenderedChart.component(deployment).equals("privacy") ? "Recreate" : null));
        assertThat(chart.one(Deployment.class, "acme-sluice-privacy").getSpec().getStrategy().getType()).isEqualTo("Recreate");
        workloads.forEach((name, pod) -> {
            Container container = container(pod);
            assertThat(container.getImage()).as(name).matches("ghcr\\.io/sluice-dev/[a-z-]+:0\\.1\\.0");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/actuator/health/liveness");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/actuator/health/readiness");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).as(name).isEqualTo("/actuator/health/liveness");
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(container.getVolumeMounts()).as(name + ": a writable /tmp on the read-only root")
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(value(pod, "SLUICE_LOCAL_MODE")).as(name).contains("false");
            // outside the local mode a service needs a way in: without an issuer, the users' secret is required
            assertThat(container(pod).getEnvFrom()).as(name).singleElement().satisfies(from -> {
                assertThat(from.getSecretRef().getName()).isEqualTo("sluice-users");
                assertThat(from.getSecretRef().getOptional()).isFalse();
            });
            assertThat(value(pod, "KAFKA_BOOTSTRAP_SERVERS")).as(name).contains("kafka:9092");
        });
        assertThat(chart.all(PodDisruptionBudget.class)).hasSize(SERVICES.size())
                .allSatisfy(pdb -> assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
        assertThat(chart.all(NetworkPolicy.class)).hasSize(SERVICES.size());
        assertThat(chart.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(chart.custom("ServiceMonitor")).isEmpty();
        // the Kubernetes API only for the services that submit Spark jobs
        workloads.forEach((name, pod) -> assertThat(pod.getSpec().getAutomountServiceAccountToken()).as(name)
                .isEqualTo(Set.of("datapump", "privacy").contains(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "minimal-values.yaml", "production-values.yaml"})
    void secretsAreOnlyReferencedNeverValues(String valuesFile) {
        RenderedChart chart = RenderedChart.render(valuesFile.isEmpty() ? null : valuesFile);
        assertThat(chart.all(Secret.class)).as("the chart creates no secret").isEmpty();
        chart.workloads().forEach((name, pod) -> env(pod).values().stream()
                .filter(variable -> SECRET_NAME.matcher(variable.getName()).matches())
                .forEach(variable -> {
                    assertThat(variable.getValue()).as(name + " " + variable.getName()).isNull();
                    assertThat(variable.getValueFrom().getSecretKeyRef()).as(name + " " + variable.getName()).isNotNull();
                }));
        // the master key as a file from its secret, to the three services that derive keys from it
        chart.workloads().forEach((name, pod) -> {
            boolean derives = Set.of("dedup", "datapump", "privacy").contains(name);
            assertThat(value(pod, "SLUICE_MASTER_KEY_FILE")).as(name)
                    .isEqualTo(derives ? java.util.Optional.of("/etc/sluice/master-key/master.key") : java.util.Optional.empty());
            if (derives) {
                assertThat(pod.getSpec().getVolumes()).filteredOn(volume -> volume.getSecret() != null).anySatisfy(volume -> {
                    assertThat(volume.getSecret().getSecretName()).isEqualTo("sluice-master-key");
                    assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0400);
                });
            }
        });
    }

    @Test
    void productionConnectionsReachEveryService() {
        RenderedChart chart = RenderedChart.render("production-values.yaml");
        Map<String, PodTemplateSpec> workloads = chart.workloads();
        assertThat(workloads.keySet()).doesNotContain("catalog");
        workloads.forEach((name, pod) -> {
            Map<String, EnvVar> env = env(pod);
            assertThat(container(pod).getImage()).as(name)
                    .startsWith("123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice/").endsWith(":0.1.0");
            // Kafka: SASL_SSL with SCRAM, the user from the secret, the brokers' CA from its secret
            assertThat(value(pod, "SLUICE_RUNTIME_KAFKA_SECURITY_PROTOCOL")).as(name).contains("SASL_SSL");
            assertThat(value(pod, "SLUICE_RUNTIME_KAFKA_SASL_MECHANISM")).as(name).contains("SCRAM-SHA-512");
            assertThat(env.get("KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("sluice-kafka");
            assertThat(value(pod, "SLUICE_RUNTIME_KAFKA_SASL_JAAS_CONFIG")).as(name).get().asString()
                    .contains("ScramLoginModule required").contains("password=\"$(KAFKA_SASL_PASSWORD)\"");
            assertThat(List.copyOf(env.keySet()).indexOf("KAFKA_SASL_PASSWORD")).as("defined before its use")
                    .isLessThan(List.copyOf(env.keySet()).indexOf("SLUICE_RUNTIME_KAFKA_SASL_JAAS_CONFIG"));
            assertThat(value(pod, "SLUICE_RUNTIME_KAFKA_SSL_TRUSTSTORE_LOCATION")).as(name)
                    .contains("/etc/sluice/kafka-tls/ca.crt");
            assertThat(pod.getSpec().getVolumes()).as(name).filteredOn(v -> v.getSecret() != null)
                    .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("sluice-kafka-ca"));
            if (CASSANDRA_USERS.contains(name)) {
                assertThat(env.get("SPRING_CASSANDRA_USERNAME").getValueFrom().getSecretKeyRef().getName()).as(name)
                        .isEqualTo("sluice-cassandra");
                assertThat(env.get("SPRING_CASSANDRA_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
                assertThat(value(pod, "SPRING_CASSANDRA_SSL_ENABLED")).as(name).contains("true");
                assertThat(value(pod, "SPRING_SSL_BUNDLE_PEM_CASSANDRA_TRUSTSTORE_CERTIFICATE")).as(name)
                        .contains("file:/etc/sluice/cassandra-tls/ca.crt");
                assertThat(value(pod, "CASSANDRA_LOCAL_DATACENTER")).contains("eu-west-1");
            } else {
                assertThat(env).as(name).doesNotContainKey("SPRING_CASSANDRA_USERNAME");
            }
            // a way in for every service: the issuer, and the users' secret no longer required
            assertThat(value(pod, "SLUICE_SECURITY_JWT_ISSUER_URI")).as(name).contains("https://login.acme.example/realms/staff");
            assertThat(container(pod).getEnvFrom()).as(name).singleElement().satisfies(from -> {
                assertThat(from.getSecretRef().getName()).isEqualTo("sluice-users");
                assertThat(from.getSecretRef().getOptional()).isTrue();
            });
        });
        // the governance service's IAM policies name the lake's bucket, region and account
        PodTemplateSpec governance = workloads.get("governance");
        assertThat(value(governance, "SLUICE_LAKE_BUCKET")).contains("acme-sluice-lake");
        assertThat(value(governance, "AWS_REGION")).contains("eu-west-1");
        assertThat(value(governance, "AWS_ACCOUNT_ID")).contains("123456789012");
        // S3 through the default credential chain (IRSA): no keys anywhere, the role on the service accounts
        for (String name : List.of("datapump", "privacy")) {
            PodTemplateSpec pod = workloads.get(name);
            String job = name.equals("datapump") ? "SLUICE_DATAPUMP_JOB" : "SLUICE_PRIVACY_JOB";
            assertThat(env(pod)).doesNotContainKeys("S3_ACCESS_KEY", "S3_SECRET_KEY");
            assertThat(value(pod, job + "_HADOOP_FS_S3A_AWS_CREDENTIALS_PROVIDER"))
                    .contains("software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
            assertThat(value(pod, job + "_LAUNCHER")).contains("spark-submit");
            assertThat(value(pod, job + "_SPARKSUBMIT")).get().asString().startsWith("/opt/spark/bin/spark-submit,--master,k8s://")
                    .contains("--deploy-mode,cluster").endsWith("--properties-file,/etc/sluice/spark/spark.properties");
        }
        assertThat(chart.all(ServiceAccount.class)).hasSize(2).allSatisfy(account -> assertThat(
                account.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn",
                "arn:aws:iam::123456789012:role/sluice"));
    }

    @Test
    void consumersAutoscaleWithinTheirTopicsPartitions() {
        RenderedChart chart = RenderedChart.render("production-values.yaml");
        Map<String, Integer> partitions = Map.of("gatekeeper", 24, "dedup", 12, "privacy", 12);
        List<HorizontalPodAutoscaler> hpas = chart.all(HorizontalPodAutoscaler.class);
        assertThat(hpas).extracting(RenderedChart::component).containsExactlyInAnyOrderElementsOf(partitions.keySet());
        hpas.forEach(hpa -> {
            String name = RenderedChart.component(hpa);
            assertThat(hpa.getSpec().getMaxReplicas()).as(name).isLessThanOrEqualTo(partitions.get(name))
                    .isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("acme-sluice-" + name);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind())
                    .isEqualTo(name.equals("gatekeeper") ? "StatefulSet" : "Deployment");
        });
        assertThatThrownBy(() -> RenderedChart.render("production-values.yaml",
                Map.of("components.dedup.autoscaling.maxReplicas", 13)))
                .hasMessageContaining("components.dedup.autoscaling.maxReplicas (13) exceeds the 12 partitions");
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("components.gatekeeper.replicas", 13)))
                .hasMessageContaining("components.gatekeeper.replicas (13) exceeds the partitions");
    }

    @Test
    void prometheusScrapesEveryServiceWhenAsked() {
        RenderedChart chart = RenderedChart.render("production-values.yaml");
        List<GenericKubernetesResource> monitors = chart.custom("ServiceMonitor");
        assertThat(monitors).hasSize(SERVICES.size() - 1).allSatisfy(monitor -> {
            assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
            @SuppressWarnings("unchecked")
            Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("port", "http");
        });
        // and Prometheus' namespace may reach them
        assertThat(chart.all(NetworkPolicy.class)).allSatisfy(policy -> assertThat(policy.getSpec().getIngress().get(0)
                .getFrom()).filteredOn(peer -> peer.getNamespaceSelector() != null)
                .anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "monitoring")));
    }

    @Test
    void networkPoliciesLetOnlyTheCallersIn() {
        RenderedChart chart = RenderedChart.render(null);
        Map<String, NetworkPolicy> policies = new LinkedHashMap<>();
        chart.all(NetworkPolicy.class).forEach(p -> policies.put(RenderedChart.component(p), p));
        // the registry: every service that reads schemas, and the Spark pods; no one else of Sluice's may call the
        // consumers, which serve only health and metrics
        assertThat(callers(policies.get("registry"))).containsExactlyInAnyOrder("test", "gatekeeper", "dedup",
                "datapump", "governance", "privacy", "catalog", "spark");
        for (String consumer : List.of("gatekeeper", "dedup", "datapump", "catalog")) {
            assertThat(callers(policies.get(consumer))).as(consumer).containsExactly("test");
            assertThat(policies.get(consumer).getSpec().getIngress().get(0).getFrom()).as(consumer).hasSize(1);
        }
        // the console calls the two APIs for its users; people reach the console and the APIs through the ingress
        assertThat(callers(policies.get("governance"))).containsExactlyInAnyOrder("test", "console");
        assertThat(callers(policies.get("privacy"))).containsExactlyInAnyOrder("test", "console");
        assertThat(callers(policies.get("console"))).containsExactly("test");
        for (String api : List.of("governance", "privacy", "console")) {
            assertThat(policies.get(api).getSpec().getIngress().get(0).getFrom()).as(api)
                    .filteredOn(peer -> peer.getNamespaceSelector() != null).anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
        }
        assertThat(policies.values()).allSatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress"));
    }

    @Test
    void theConsoleCallsTheApisInTheClusterAndSignsInWithTheIdentityProvider() {
        PodTemplateSpec local = RenderedChart.render(null).workloads().get("console");
        assertThat(RenderedChart.value(local, "GOVERNANCE_URL")).contains("http://acme-sluice-governance:8086");
        assertThat(RenderedChart.value(local, "PRIVACY_URL")).contains("http://acme-sluice-privacy:8087");
        assertThat(RenderedChart.value(local, "SLUICE_CONSOLE_SECURE_COOKIE")).contains("true");
        assertThat(RenderedChart.value(local, "SLUICE_CONSOLE_TIERONE")).contains("s3://sluice-lake/tier1");
        assertThat(RenderedChart.env(local)).doesNotContainKeys("SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTID",
                "SLUICE_MASTER_KEY_FILE", "CASSANDRA_CONTACT_POINTS", "S3_ACCESS_KEY");
        assertThat(local.getSpec().getContainers().get(0).getEnvFrom()).anySatisfy(from -> assertThat(from.getSecretRef()
                .getName()).isEqualTo("sluice-users"));

        PodTemplateSpec production = RenderedChart.render("production-values.yaml").workloads().get("console");
        Map<String, EnvVar> env = RenderedChart.env(production);
        assertThat(RenderedChart.value(production, "SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_SLUICE_ISSUERURI"))
                .contains("https://login.acme.example/realms/staff");
        assertThat(env.get("SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTID").getValueFrom().getSecretKeyRef()
                .getName()).isEqualTo("sluice-console-oidc");
        assertThat(env.get("SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTSECRET").getValueFrom()
                .getSecretKeyRef().getKey()).isEqualTo("client-secret");
        assertThat(RenderedChart.value(production, "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_SCOPE"))
                .contains("openid,profile");
    }

    static List<String> callers(NetworkPolicy policy) {
        return policy.getSpec().getIngress().get(0).getFrom().stream().filter(peer -> peer.getPodSelector() != null)
                .map(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")).toList();
    }

    @Test
    void sparkDriversGetANamespacedRoleAndTheDocumentedPackages() throws IOException {
        RenderedChart chart = RenderedChart.render("production-values.yaml");
        assertThat(chart.all(ClusterRole.class)).isEmpty();
        assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
        Role role = chart.one(Role.class, "acme-sluice-spark");
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
            assertThat(rule.getResources()).doesNotContain("*", "secrets", "roles", "rolebindings");
        });
        assertThat(role.getRules().stream().flatMap(rule -> rule.getResources().stream()))
                .containsExactlyInAnyOrder("pods", "services", "configmaps", "persistentvolumeclaims");
        assertThat(role.getRules()).filteredOn(rule -> rule.getResources().contains("pods")).singleElement()
                .extracting(PolicyRule::getVerbs).asList().contains("create", "delete", "watch");
        RoleBinding binding = chart.one(RoleBinding.class, "acme-sluice-spark");
        assertThat(binding.getSubjects()).extracting(s -> s.getName() + "@" + s.getNamespace())
                .containsExactlyInAnyOrder("acme-sluice@sluice", "acme-sluice-spark@sluice");

        String properties = chart.one(ConfigMap.class, "acme-sluice-spark").getData().get("spark.properties");
        assertThat(properties).contains("spark.jars.packages=" + lakeJobsPackages() + "\n")
                .contains("spark.kubernetes.container.image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice/lake-jobs:0.1.0")
                .contains("spark.kubernetes.authenticate.driver.serviceAccountName=acme-sluice-spark")
                .contains("spark.kubernetes.driver.secrets.sluice-master-key=/etc/sluice/master-key")
                .contains("spark.kubernetes.driverEnv.SLUICE_MASTER_KEY_FILE=/etc/sluice/master-key/master.key")
                .contains("spark.executor.instances=4")
                .doesNotContain("AWS_SECRET_ACCESS_KEY");
        // the chart's default list is lake-jobs' own
        String defaults = Files.readString(RenderedChart.CHART.resolve("values.yaml"));
        assertThat(defaults).contains("packages: " + lakeJobsPackages() + "\n");
    }

    @Test
    void theMinimalValuesRunTheJobsInThePodsWithStaticS3Keys() {
        RenderedChart chart = RenderedChart.render("minimal-values.yaml");
        assertThat(chart.all(Role.class)).isEmpty();
        assertThat(chart.all(ConfigMap.class)).isEmpty();
        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
        PodTemplateSpec datapump = chart.workloads().get("datapump");
        assertThat(value(datapump, "SLUICE_DATAPUMP_JOB_LAUNCHER")).contains("local");
        assertThat(value(datapump, "SLUICE_DATAPUMP_JOB_HADOOP_FS_S3A_ENDPOINT")).contains("http://minio.data.svc:9000");
        assertThat(value(datapump, "SLUICE_DATAPUMP_JOB_HADOOP_FS_S3A_PATH_STYLE_ACCESS")).contains("true");
        assertThat(env(datapump).get("S3_SECRET_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("sluice-s3");
        assertThat(env(datapump)).doesNotContainKey("SLUICE_DATAPUMP_JOB_HADOOP_FS_S3A_AWS_CREDENTIALS_PROVIDER");
        assertThat(datapump.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(value(chart.workloads().get("catalog"), "S3_ENDPOINT")).contains("http://minio.data.svc:9000");
        assertThat(value(chart.workloads().get("privacy"), "S3_ENDPOINT")).contains("http://minio.data.svc:9000");
        assertThat(value(chart.workloads().get("privacy"), "SLUICE_PRIVACY_S3_PATHSTYLEACCESS")).contains("true");
    }

    @Test
    void helmTestChecksEveryServicesReadiness() throws IOException {
        // helm-java returns the release's manifest without its hooks: render the test pod from a copy of the chart
        // whose template lost the hook annotation, after checking the original has it
        Path template = RenderedChart.CHART.resolve("templates/tests/health.yaml");
        assertThat(Files.readString(template)).contains("helm.sh/hook: test\n");
        Path chart = chartWith("");
        Path copy = chart.resolve("templates/tests/health.yaml");
        Files.writeString(copy, Files.readString(copy).replace("helm.sh/hook: test\n", ""));
        String yaml = new Helm(chart).template().withName(RenderedChart.RELEASE).withNamespace(RenderedChart.NAMESPACE)
                .withKubeVersion(RenderedChart.KUBE_VERSION).withValuesFile(RenderedChart.CHART.resolve("ci/production-values.yaml"))
                .call();
        Pod test = RenderedChart.parse(yaml).stream().filter(Pod.class::isInstance).map(Pod.class::cast).findFirst()
                .orElseThrow();
        assertThat(test.getMetadata().getName()).isEqualTo("acme-sluice-health");
        assertThat(test.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "test");
        assertThat(test.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(test.getSpec().getContainers()).extracting(Container::getName)
                .containsExactlyInAnyOrder("registry", "gatekeeper", "dedup", "datapump", "governance", "privacy", "console");
        assertThat(test.getSpec().getContainers()).allSatisfy(c -> {
            assertThat(c.getImage()).isEqualTo("curlimages/curl:8.11.1");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getArgs()).contains("--fail").last().asString()
                    .matches("http://acme-sluice-" + c.getName() + ":808[1-8]/actuator/health/readiness");
        });
    }

    /** The pom's spark.packages of lake-jobs, its ${…} properties resolved from the same pom. */
    static String lakeJobsPackages() throws IOException {
        String pom = Files.readString(Path.of("..", "lake-jobs", "pom.xml"));
        Matcher list = Pattern.compile("<spark\\.packages>([^<]+)</spark\\.packages>").matcher(pom);
        assertThat(list.find()).isTrue();
        Matcher reference = Pattern.compile("\\$\\{([^}]+)}").matcher(list.group(1));
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            Matcher property = Pattern.compile("<" + Pattern.quote(reference.group(1)) + ">([^<]+)</").matcher(pom);
            assertThat(property.find()).as(reference.group(1)).isTrue();
            reference.appendReplacement(resolved, Matcher.quoteReplacement(property.group(1)));
        }
        reference.appendTail(resolved);
        return resolved.toString();
    }

    /**
     * A copy of the chart whose values.yaml is the defaults merged with the values file, as Helm merges them: helm
     * lint takes no values file through helm-java.
     */
    Path chartWith(String valuesFile) throws IOException {
        Path copy = tmp.resolve("sluice");
        try (Stream<Path> files = Files.walk(RenderedChart.CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(RenderedChart.CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        if (!valuesFile.isEmpty()) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            @SuppressWarnings("unchecked")
            Map<String, Object> values = yaml.readValue(RenderedChart.CHART.resolve("values.yaml").toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> overrides = yaml.readValue(RenderedChart.CHART.resolve("ci").resolve(valuesFile).toFile(), Map.class);
            yaml.writeValue(copy.resolve("values.yaml").toFile(), merge(values, overrides));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
