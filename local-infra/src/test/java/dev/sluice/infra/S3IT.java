package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.infra.junit.LocalInfraTest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

@LocalInfraTest(Server.S3)
class S3IT {

    private static final int PART_SIZE = 5 * 1024 * 1024;

    @Test
    void putListGetDelete(LocalInfra infra) {
        try (S3Client s3 = Clients.s3(infra)) {
            s3.createBucket(b -> b.bucket("tier0"));
            for (String key : List.of("events/message_sent/date=2026-11-26/hour=10/a.parquet",
                    "events/message_sent/date=2026-11-26/hour=11/b.parquet",
                    "events/product_created/date=2026-11-26/hour=10/c.parquet", "readme.txt")) {
                s3.putObject(p -> p.bucket("tier0").key(key), RequestBody.fromString("content of " + key));
            }

            ListObjectsV2Response types = s3.listObjectsV2(l -> l.bucket("tier0").prefix("events/").delimiter("/"));
            assertThat(types.commonPrefixes()).extracting(CommonPrefix::prefix)
                    .containsExactly("events/message_sent/", "events/product_created/");
            assertThat(types.contents()).isEmpty();

            ListObjectsV2Response hours = s3.listObjectsV2(l -> l.bucket("tier0")
                    .prefix("events/message_sent/date=2026-11-26/"));
            assertThat(hours.contents()).extracting(S3Object::key).containsExactly(
                    "events/message_sent/date=2026-11-26/hour=10/a.parquet",
                    "events/message_sent/date=2026-11-26/hour=11/b.parquet");

            String key = "events/message_sent/date=2026-11-26/hour=10/a.parquet";
            assertThat(s3.getObjectAsBytes(g -> g.bucket("tier0").key(key)).asUtf8String())
                    .isEqualTo("content of " + key);

            s3.deleteObject(d -> d.bucket("tier0").key(key));
            assertThatThrownBy(() -> s3.getObjectAsBytes(g -> g.bucket("tier0").key(key)))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(s3.listObjectsV2(l -> l.bucket("tier0").prefix("events/message_sent/")).contents())
                    .extracting(S3Object::key).containsExactly("events/message_sent/date=2026-11-26/hour=11/b.parquet");
        }
    }

    @Test
    void multipartUploadOfMoreThanTenMegabytes(LocalInfra infra) throws Exception {
        byte[] content = new byte[12 * 1024 * 1024 + 123];
        new Random(42).nextBytes(content);
        try (S3Client s3 = Clients.s3(infra)) {
            s3.createBucket(b -> b.bucket("exports"));
            String uploadId = s3.createMultipartUpload(c -> c.bucket("exports").key("access/r-1.zip")).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, number = 1; offset < content.length; offset += PART_SIZE, number++) {
                int length = Math.min(PART_SIZE, content.length - offset);
                int partNumber = number;
                String etag = s3.uploadPart(u -> u.bucket("exports").key("access/r-1.zip").uploadId(uploadId)
                        .partNumber(partNumber), RequestBody.fromBytes(java.util.Arrays.copyOfRange(content, offset,
                        offset + length))).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(c -> c.bucket("exports").key("access/r-1.zip").uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));

            byte[] read = s3.getObjectAsBytes(g -> g.bucket("exports").key("access/r-1.zip")).asByteArray();
            assertThat(parts).hasSize(3);
            assertThat(read).hasSize(content.length);
            assertThat(sha256(read)).isEqualTo(sha256(content));
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
