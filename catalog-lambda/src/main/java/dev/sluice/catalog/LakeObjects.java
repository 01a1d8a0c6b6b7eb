package dev.sluice.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads the lake's small objects (pointers, column lists) by key, from S3 or from a local directory. */
public interface LakeObjects {

    /**
     * The object's content.
     *
     * @throws MissingObject when there is no such object (a notice or event that names a partition never written)
     */
    String read(String key);

    /** There is no object under the key: not a failure to retry, the key is wrong. */
    final class MissingObject extends RuntimeException {
        public MissingObject(String key, Throwable cause) {
            super("no object " + key + " in the lake", cause);
        }
    }

    /** The URI of a key's directory as the catalog stores locations ({@code s3://bucket/key} or {@code file:///...}). */
    String location(String key);

    static LakeObjects s3(S3Client s3, String bucket) {
        return new LakeObjects() {
            @Override
            public String read(String key) {
                try {
                    return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asUtf8String();
                } catch (NoSuchKeyException e) {
                    throw new MissingObject(key, e);
                }
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
                } catch (NoSuchFileException e) {
                    throw new MissingObject(key, e);
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
