package dev.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/ without a Docker engine: each Dockerfile read as the builder reads it, and the compose file as Compose
 * reads it (SnakeYAML, with its anchors and merge keys), checked for what matters: pinned official bases, non-root
 * users, health checks, the JVM sized by the container, every service with its settings, and no secret literal but
 * the local mode's.
 */
class DockerTest {

    static final Path DOCKER = Path.of("..", "docker").toAbsolutePath().normalize();
    /** A tag that names a release (at least major.minor), or a digest; never latest. */
    static final Pattern PINNED = Pattern.compile("[^:@\\s]+(:[^:@\\s]*\\d+\\.\\d+[^:@\\s]*)(@sha256:[0-9a-f]{64})?|[^@\\s]+@sha256:[0-9a-f]{64}");
    static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|TOKEN|USER_INFO).*");
    /** The only secret values allowed in docker/: local-infra's local-mode ones. */
    static final Set<String> LOCAL_SECRETS = Set.of("sluice-local", "sluice-local-secret");

    @Test
    void everyDockerfilePinsAnOfficialBaseAndDeclaresItsHealth() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DOCKER)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".Dockerfile")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("catalog-lambda.Dockerfile", "lake-jobs.Dockerfile", "service.Dockerfile");
        for (Path path : files) {
            Dockerfile file = Dockerfile.read(path);
            for (Dockerfile.Stage stage : file.stages()) {
                assertThat(stage.image()).as(path + " FROM").matches(PINNED)
                        .matches("(eclipse-temurin|spark|public\\.ecr\\.aws/lambda/java):.*");
            }
            assertThat(file.last().all("HEALTHCHECK")).as(path + ": a health check, or an explicit NONE").hasSize(1);
            file.stages().forEach(stage -> stage.all("ENV").forEach(env -> assertThat(env).as(path.toString())
                    .doesNotContainPattern("(?i)(password|secret|access_key)\\s*=")));
        }
    }

    @Test
    void theServiceImageRunsBootsLayersAsANonRootUserWithItsHealthAndMemoryFromTheContainer() throws IOException {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("service.Dockerfile"));
        assertThat(file.stages()).hasSize(2);
        assertThat(file.globalArgs()).containsEntry("BASE_IMAGE", "eclipse-temurin:17.0.15_6-jre-noble");
        Dockerfile.Stage layers = file.stages().get(0);
        assertThat(layers.all("RUN")).singleElement().asString()
                .contains("-Djarmode=tools").contains("extract --layers --launcher");
        Dockerfile.Stage runtime = file.last();
        assertThat(runtime.all("COPY")).extracting(c -> c.replaceAll("\\s+\\./$", ""))
                .containsExactly("--from=layers /build/extracted/dependencies/", "--from=layers /build/extracted/spring-boot-loader/",
                        "--from=layers /build/extracted/snapshot-dependencies/", "--from=layers /build/extracted/application/");
        assertThat(runtime.user()).isEqualTo("10001:10001");
        assertThat(String.join(" ", runtime.all("ENV"))).contains("-XX:MaxRAMPercentage=75");
        assertThat(runtime.all("HEALTHCHECK")).singleElement().asString()
                .contains("CMD curl --fail").contains("/actuator/health/readiness");
        assertThat(runtime.all("ENTRYPOINT")).containsExactly("[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
    }

    @Test
    void theLakeJobsImageIsSparksOwnAtTheJobsVersionAndRunsTheDocumentedPackages() throws IOException {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("lake-jobs.Dockerfile"));
        String sparkVersion = property(Path.of("..", "lake-jobs", "pom.xml"), "spark.version");
        assertThat(file.last().image()).isEqualTo("spark:" + sparkVersion + "-scala2.13-java17-ubuntu");
        assertThat(file.last().user()).as("Spark's own user").isEqualTo("185");
        String run = String.join("\n", file.last().all("RUN"));
        // the list is lake-jobs' own file, not a copy that could drift
        assertThat(run).contains("--packages \"$(cat spark-packages)\"")
                .contains("--exclude-packages software.amazon.awssdk:bundle")
                .contains("spark-examples_2.13-" + sparkVersion + ".jar");
        assertThat(file.last().all("COPY")).anySatisfy(copy -> assertThat(copy).contains("lake-jobs/target/job/spark-packages"));
        assertThat(file.last().all("ARG")).contains("VERSION=" + property(Path.of("..", "pom.xml"), "version"));
    }

    @Test
    void theLambdaImageIsAwsLambdasJavaRuntimeWithTheDocumentedHandler() throws IOException {
        Dockerfile file = Dockerfile.read(DOCKER.resolve("catalog-lambda.Dockerfile"));
        assertThat(file.last().image()).startsWith("public.ecr.aws/lambda/java:17.");
        assertThat(file.last().all("CMD")).containsExactly("[\"dev.sluice.catalog.S3EventHandler::handleRequest\"]");
        // no USER: Lambda runs every function as its own unprivileged user, whatever the image says
        assertThat(Files.readString(DOCKER.resolve("catalog-lambda.Dockerfile"))).contains("its own non-root user");
        assertThat(Files.readString(Path.of("..", "catalog-lambda", "README.md")))
                .contains("dev.sluice.catalog.S3EventHandler::handleRequest");
    }

    @Test
    void composeRunsEveryServiceOnHealthyOfficialServersWithTheLocalSettings() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = map(compose.get("services"));
        assertThat(services.keySet()).containsExactlyInAnyOrder("kafka", "cassandra", "s3", "init", "master-key", "registry",
                "gatekeeper", "dedup", "lake-jobs", "datapump", "catalog", "governance", "privacy", "console");
        assertThat(services.get("kafka").get("image")).asString().startsWith("apache/kafka:").matches(PINNED);
        assertThat(services.get("cassandra").get("image")).asString().startsWith("cassandra:5.").matches(PINNED);
        assertThat(services.get("s3").get("image")).asString().startsWith("minio/minio:RELEASE.");
        assertThat(map(services.get("kafka").get("environment"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(map(compose.get("volumes")).keySet()).contains("kafka-data", "cassandra-data", "s3-data", "master-key");

        Map<String, Set<String>> required = Map.of(
                "registry", Set.of("SCHEMA_REGISTRY_USER", "SCHEMA_REGISTRY_PASSWORD"),
                "gatekeeper", Set.of("SCHEMA_REGISTRY_URL", "GATEKEEPER_TRANSACTIONAL_ID"),
                "dedup", Set.of("SCHEMA_REGISTRY_URL", "CASSANDRA_CONTACT_POINTS", "CASSANDRA_LOCAL_DATACENTER", "SLUICE_MASTER_KEY_FILE"),
                "datapump", Set.of("SCHEMA_REGISTRY_URL", "CASSANDRA_CONTACT_POINTS", "SLUICE_MASTER_KEY_FILE", "S3_ACCESS_KEY",
                        "SLUICE_LAKE_TIER0", "SLUICE_LAKE_TIER1", "SLUICE_DATAPUMP_JOB_DIR", "SLUICE_DATAPUMP_JOB_HADOOP_FS_S3A_ENDPOINT"),
                "catalog", Set.of("S3_ENDPOINT", "S3_ACCESS_KEY", "SLUICE_LAKE_TIER0", "SLUICE_CATALOG_DIR"),
                "governance", Set.of("SCHEMA_REGISTRY_URL", "CASSANDRA_CONTACT_POINTS"),
                "privacy", Set.of("SCHEMA_REGISTRY_URL", "CASSANDRA_CONTACT_POINTS", "SLUICE_MASTER_KEY_FILE", "S3_ENDPOINT",
                        "SLUICE_EXPORTS_BUCKET", "SLUICE_LEGAL_HOLD", "SLUICE_PRIVACY_JOB_DIR", "SLUICE_PRIVACY_JOB_HADOOP_FS_S3A_ENDPOINT"));
        required.forEach((name, variables) -> {
            Map<String, Object> service = services.get(name);
            Map<String, Object> env = map(service.get("environment"));
            assertThat(env).as(name).containsKeys(variables.toArray(String[]::new))
                    .containsEntry("SLUICE_LOCAL_MODE", "true").containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
            assertThat(service.get("image")).as(name).asString().matches("sluice/[a-z-]+:0\\.1\\.0");
            Map<String, Object> build = map(service.get("build"));
            assertThat(build.get("dockerfile")).isEqualTo("docker/service.Dockerfile");
            String jar = (String) map(build.get("args")).get("JAR");
            String module = jar.substring(0, jar.indexOf('/'));
            assertThat(Path.of("..", module, "pom.xml")).as(name + ": a module of the build").exists();
            assertThat(jar).matches(Pattern.quote(module) + "/target/" + Pattern.quote(module) + "-0\\.1\\.0-SNAPSHOT(-exec)?\\.jar");
            assertThat(map(service.get("healthcheck")).get("test")).as(name).asString().contains("/actuator/health/readiness");
            assertThat(map(service.get("depends_on"))).as(name).containsKey("kafka");
        });
        // the console: the two APIs it calls, nothing else
        Map<String, Object> console = services.get("console");
        assertThat(map(console.get("environment"))).containsEntry("GOVERNANCE_URL", "http://governance:8086")
                .containsEntry("PRIVACY_URL", "http://privacy:8087").containsEntry("SLUICE_LOCAL_MODE", "true");
        assertThat(map(console.get("depends_on")).keySet()).containsExactlyInAnyOrder("governance", "privacy");
        assertThat(map(map(console.get("build")).get("args"))).containsEntry("JAR",
                "console/target/console-0.1.0-SNAPSHOT-exec.jar");
        assertThat(map(console.get("healthcheck")).get("test")).asString().contains("/actuator/health/readiness");
        // every dependency waits for health (or for a one-shot container to succeed)
        Set<String> oneShots = Set.of("init", "master-key");
        services.forEach((name, service) -> map(service.getOrDefault("depends_on", Map.of())).forEach((dependency, how) ->
                assertThat(map(how).get("condition")).as(name + " -> " + dependency)
                        .isEqualTo(oneShots.contains(dependency) ? "service_completed_successfully" : "service_healthy")));
        // the master key as the services read it (ReservoirKeys: base64 text), to each service that derives keys
        assertThat(String.valueOf(services.get("master-key").get("command"))).contains("head -c 32 /dev/urandom | base64");
        for (String name : List.of("dedup", "datapump", "privacy")) {
            assertThat(map(services.get(name).get("depends_on"))).as(name).containsKey("master-key");
            assertThat(String.valueOf(services.get(name).get("volumes"))).as(name).contains("master-key:/etc/sluice/master-key:ro");
        }
        for (String server : List.of("kafka", "cassandra", "s3")) {
            assertThat(services.get(server)).as(server).containsKey("healthcheck");
        }
        // the Spark services are built on the lake-jobs image
        for (String name : List.of("datapump", "privacy")) {
            Map<String, Object> build = map(services.get(name).get("build"));
            assertThat(map(build.get("additional_contexts"))).containsEntry("lake-jobs", "service:lake-jobs");
            assertThat(map(build.get("args"))).containsEntry("BASE_IMAGE", "lake-jobs");
        }
        // no secret but the local mode's
        services.forEach((name, service) -> map(service.getOrDefault("environment", Map.of())).forEach((variable, value) -> {
            if (SECRET_NAME.matcher(variable).matches()) {
                assertThat(String.valueOf(value)).as(name + " " + variable).isIn(LOCAL_SECRETS);
            }
        }));
        assertThat(map(services.get("s3").get("environment")).values()).allSatisfy(v -> assertThat(String.valueOf(v)).isIn(LOCAL_SECRETS));
    }

    @SuppressWarnings("unchecked")
    static <V> Map<String, V> map(Object value) {
        return (Map<String, V>) value;
    }

    /** A property of a pom (or, for "version", the project's own version). */
    static String property(Path pom, String name) throws IOException {
        String text = Files.readString(pom);
        if (name.equals("version")) {
            text = text.substring(text.indexOf("</parent>") + 1);
        }
        var matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(text);
        assertThat(matcher.find()).as(name + " in " + pom).isTrue();
        return matcher.group(1);
    }
}
