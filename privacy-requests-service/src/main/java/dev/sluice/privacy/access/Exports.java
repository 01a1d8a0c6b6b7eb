package dev.sluice.privacy.access;

import dev.sluice.privacy.PrivacyProperties;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The exports bucket as this service uses it: the access job's batch specs and results, and pre-signed download
 * links of the zips (AWS SDK v2's {@link S3Presigner}: a GET signed for a few minutes, so the zip is fetched from S3
 * directly and only by whoever was given the link).
 */
public final class Exports implements AutoCloseable {

    private final String bucket;
    private final Duration linkExpiry;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Clock clock;

    public record Link(URL url, Instant expiresAt) {
    }

    public Exports(PrivacyProperties.Exports exports, PrivacyProperties.S3 settings, Clock clock) {
        this.bucket = exports.bucket();
        this.linkExpiry = exports.linkExpiry();
        this.clock = clock;
        AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3Configuration paths = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build();
        var client = S3Client.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(paths);
        var signer = S3Presigner.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(paths);
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            client.endpointOverride(URI.create(settings.endpoint()));
            signer.endpointOverride(URI.create(settings.endpoint()));
        }
        this.s3 = client.build();
        this.presigner = signer.build();
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, byte[] content) {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    public void delete(String key) {
        s3.deleteObject(request -> request.bucket(bucket).key(key));
    }

    /** A GET of the object, signed for the configured expiry. */
    public Link presign(String key) {
        Instant expires = clock.instant().plus(linkExpiry);
        URL url = presigner.presignGetObject(request -> request.signatureDuration(linkExpiry)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url();
        return new Link(url, expires);
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
