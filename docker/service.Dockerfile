# syntax=docker/dockerfile:1
# The image of one Spring Boot service of Sluice (or the schema registry), from its executable jar, built from the
# repository's root after `./mvnw -B package -DskipTests`:
#
#   docker build -f docker/service.Dockerfile -t sluice/gatekeeper-service:0.1.0 \
#     --build-arg JAR=gatekeeper-service/target/gatekeeper-service-0.1.0-SNAPSHOT-exec.jar --build-arg PORT=8082 .
#
# The datapump and privacy-requests services launch Spark jobs: they are built on the lake-jobs image
# (--build-arg BASE_IMAGE=sluice/lake-jobs:0.1.0), which brings spark-submit and the jobs (/opt/sluice/job).
# See docker/README.md for every image's arguments.

# Temurin's JRE from the Eclipse Foundation's official image, pinned to a release
ARG BASE_IMAGE=eclipse-temurin:17.0.15_6-jre-noble

# Boot's layered jar, extracted once: dependencies change less often than the application, so pushes and pulls
# move only the layers that changed
FROM eclipse-temurin:17.0.15_6-jre-noble AS layers
ARG JAR
WORKDIR /build
COPY ${JAR} app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${BASE_IMAGE}
ARG PORT=8080
USER root
# a system user without a shell; its home is the writable /tmp (the root filesystem is read-only on Kubernetes)
RUN getent passwd 10001 >/dev/null || useradd --system --uid 10001 --user-group --home-dir /tmp \
      --shell /usr/sbin/nologin sluice
WORKDIR /opt/sluice/app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# the heap follows the container's memory limit; an OutOfMemoryError ends the JVM so that the pod is restarted
ENV PORT=${PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE ${PORT}
USER 10001:10001
# the readiness group: UP once the service's consumers, stores and dependencies are
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD curl --fail --silent --output /dev/null "http://127.0.0.1:${PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
