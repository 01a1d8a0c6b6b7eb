package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An S3-compatible store: s3proxy with its filesystem backend, AWS signature v2 or v4. */
final class S3Server extends ManagedServer {

    static final String REGION = "us-east-1";
    /** The lake's bucket, created with the server (a directory of the filesystem backend). */
    static final String LAKE_BUCKET = "sluice-lake";
    /** The access exports' bucket (and the batch specs of the access job), created with the server. */
    static final String EXPORTS_BUCKET = "sluice-exports";
    /** The legal-hold copies of what erasures removed, created with the server; no role reads it through Sluice. */
    static final String LEGAL_HOLD_BUCKET = "sluice-legal-hold";
    private final String accessKey;
    private final String secretKey;
    private int port;

    S3Server(ServerOptions options, Path home) {
        super(Server.S3, options, home);
        this.accessKey = Setting.of(Server.S3, "access-key").or("sluice-local");
        this.secretKey = Setting.of(Server.S3, "secret-key").or("sluice-local-secret");
    }

    @Override
    void configure(List<Path> classpath) throws IOException {
        port = FreePorts.orPick(options.port());
        writeProperties(conf().resolve("s3proxy.conf"), Map.of(
                "s3proxy.endpoint", endpoint(),
                "s3proxy.authorization", "aws-v2-or-v4",
                "s3proxy.identity", accessKey,
                "s3proxy.credential", secretKey,
                "jclouds.provider", "filesystem-nio2",
                "jclouds.filesystem.basedir", data().toAbsolutePath().toString(),
                "jclouds.identity", "unused",
                "jclouds.credential", "unused"));
        write(conf().resolve("logback.xml"), resource("s3-logback.xml"));
        java.nio.file.Files.createDirectories(data().resolve(LAKE_BUCKET));
        java.nio.file.Files.createDirectories(data().resolve(EXPORTS_BUCKET));
        java.nio.file.Files.createDirectories(data().resolve(LEGAL_HOLD_BUCKET));
    }

    @Override
    List<String> jvmOptions(List<Path> classpath) {
        return List.of(heapOption(), "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + conf().resolve("logback.xml").toAbsolutePath().toUri());
    }

    @Override
    String mainClass() {
        return "org.gaul.s3proxy.Main";
    }

    @Override
    List<String> arguments() {
        return List.of("--properties", conf().resolve("s3proxy.conf").toAbsolutePath().toString());
    }

    /** Any HTTP answer (403 for an anonymous request) means the S3 API is serving. */
    @Override
    boolean isReady() {
        return httpStatus(endpoint() + "/") > 0;
    }

    @Override
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The Hadoop (s3a) settings with which a lake job reaches this server; the keys go to its environment. */
    Map<String, String> hadoop() {
        return Map.of("fs.s3a.endpoint", endpoint(), "fs.s3a.endpoint.region", REGION,
                "fs.s3a.path.style.access", "true", "fs.s3a.connection.ssl.enabled", "false");
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    @Override
    Map<String, String> springProperties() {
        return Map.of("sluice.s3.endpoint", endpoint(), "sluice.s3.region", REGION,
                "sluice.s3.access-key", accessKey, "sluice.s3.secret-key", secretKey,
                "sluice.s3.path-style-access", "true");
    }

    @Override
    Map<String, String> environment() {
        return Map.of("S3_ENDPOINT", endpoint(), "S3_REGION", REGION,
                "S3_ACCESS_KEY", accessKey, "S3_SECRET_KEY", secretKey);
    }

    @Override
    int clientPort() {
        return port;
    }
}
