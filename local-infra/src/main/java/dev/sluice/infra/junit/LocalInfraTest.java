package dev.sluice.infra.junit;

import dev.sluice.infra.Server;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against real servers from local-infra. One set is shared by every test class of the test run
 * (the JVM); each server starts the first time a class asks for it and stops when the run ends. The endpoints are
 * set as system properties ({@code spring.kafka.bootstrap-servers}, {@code spring.cassandra.contact-points},
 * {@code sluice.s3.endpoint}, ...) before Spring Boot tests build their context, and a {@link dev.sluice.infra.LocalInfra}
 * parameter can be injected.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalInfraExtension.class)
public @interface LocalInfraTest {

    /** The servers this class needs (all by default). */
    Server[] value() default {Server.KAFKA, Server.CASSANDRA, Server.S3};
}
