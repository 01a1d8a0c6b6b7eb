// Run by LambdaZipIT with only the jars of the Lambda zip on the classpath: the handler is built as the Lambda
// runtime builds it (clients from the environment) and handles an event of a Parquet object, which it ignores.
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.util.List;

public class ZipCheck {
    public static void main(String[] args) throws Exception {
        var handler = new dev.sluice.catalog.S3EventHandler();
        var record = new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3", null, "2.1",
                null, null, new S3EventNotification.S3Entity("c", new S3EventNotification.S3BucketEntity("lake", null, "arn"),
                new S3EventNotification.S3ObjectEntity("tier0/events/t/date%3D2026-11-20/hour%3D13/v%3Dr/part-0.parquet", 1L, "e", null, "0"), "1.0"), null);
        System.out.println(handler.handleRequest(new S3Event(List.of(record)), null));
    }
}
