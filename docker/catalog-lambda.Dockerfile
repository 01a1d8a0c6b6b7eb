# syntax=docker/dockerfile:1
# The catalog Lambda as a container image (AWS Lambda's official Java 17 base image), for deployments that prefer
# images to the zip (catalog-lambda/target/catalog-lambda-<version>-lambda.zip, which `./mvnw package` builds and
# catalog-lambda/README.md documents). From the repository's root after `./mvnw -B package -DskipTests`:
#
#   unzip -q catalog-lambda/target/catalog-lambda-0.1.0-SNAPSHOT-lambda.zip -d catalog-lambda/target/lambda
#   docker build -f docker/catalog-lambda.Dockerfile -t sluice/catalog-lambda:0.1.0 .
#
# The Lambda runtime runs it as its own non-root user; the runtime's invocations are its health, so there is no
# HEALTHCHECK.
FROM public.ecr.aws/lambda/java:17.2025.06.23.14
COPY catalog-lambda/target/lambda/ ${LAMBDA_TASK_ROOT}/
HEALTHCHECK NONE
CMD ["dev.sluice.catalog.S3EventHandler::handleRequest"]
