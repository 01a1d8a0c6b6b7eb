package dev.sluice.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads the lake's small objects (pointers, column lists) by key, from S3 or from a local directory. */
public interface LakeObjects {

    String read(String key);

    /** The URI of a key's directory as the catalog stores locations ({@code s3://bucket/key} or {@code file:///...}). */
    String location(String key);

    static LakeObjects s3(S3Client s3, String bucket) {
        return new LakeObjects() {
            @Override
            public String read(String key) {
                return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asUtf8String();
            }

            @Override
            public String location(String key) {
                return "s3://" + bucket + "/" + key;
            }
        };
    }

    static LakeObjects directory(Path root) {
        return new LakeObjects() {
            @Override
            public String read(String key) {
                try {
                    return Files.readString(root.resolve(key), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String location(String key) {
                return root.resolve(key).toUri().toString();
            }
        };
    }
}
