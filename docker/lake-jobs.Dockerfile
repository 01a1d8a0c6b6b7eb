# syntax=docker/dockerfile:1
# The lake jobs on Apache Spark's official image: what spark-submit runs on Kubernetes (driver and executor pods),
# and the base of the datapump and privacy-requests images (their spark-submit, and their local launcher's job
# directory). Built from the repository's root after `./mvnw -B package -DskipTests`:
#
#   docker build -f docker/lake-jobs.Dockerfile -t sluice/lake-jobs:0.1.0 .
#
# The jobs run with lake-jobs' documented command: spark-submit … --packages "$(cat /opt/sluice/job/spark-packages)"
# --jars local:///opt/sluice/job/platform-core.jar --class … local:///opt/sluice/job/lake-jobs.jar. The packages are
# resolved once here, by that command, so that the local launcher's classpath has them too.
FROM spark:4.1.3-scala2.13-java17-ubuntu
ARG VERSION=0.1.0-SNAPSHOT
USER root
WORKDIR /opt/sluice/job
COPY lake-jobs/target/job/lake-jobs-${VERSION}.jar ./
COPY platform-core/target/platform-core-${VERSION}.jar ./platform-core.jar
COPY lake-jobs/target/job/spark-packages lake-jobs/target/job/jvm.options ./
RUN ln -s "lake-jobs-${VERSION}.jar" lake-jobs.jar \
 && /opt/spark/bin/spark-submit --master 'local[1]' \
      --packages "$(cat spark-packages)" --exclude-packages software.amazon.awssdk:bundle \
      --conf spark.jars.ivy=/tmp/ivy \
      --class org.apache.spark.examples.SparkPi /opt/spark/examples/jars/spark-examples_2.13-4.1.3.jar 1 \
 && mkdir lib && cp /tmp/ivy/jars/*.jar lib/ && rm -rf /tmp/ivy \
 && printf '%s' '/opt/spark/jars/*:/opt/sluice/job/lib/*:/opt/sluice/job/platform-core.jar' > classpath \
 && chmod -R a+rX /opt/sluice
# Spark's own user
USER 185
HEALTHCHECK NONE
