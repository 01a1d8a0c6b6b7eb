package dev.sluice.dedup.web;

import dev.sluice.core.lake.DirtyHour;
import dev.sluice.dedup.DedupProperties;
import dev.sluice.dedup.landing.LandingTable;
import dev.sluice.dedup.pipeline.LandingConnection;
import dev.sluice.spring.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** For people and the demo: the hours marked dirty, and the events landed in one hour. */
@RestController
class LandingController {

    private final LandingConnection landing;
    private final DedupProperties properties;
    private final KafkaClients kafka;

    LandingController(LandingConnection landing, DedupProperties properties, KafkaClients kafka) {
        this.landing = landing;
        this.properties = properties;
        this.kafka = kafka;
    }

    /**
     * The latest notice of every hour on the dirty-hours topic, read from its beginning (the topic is compacted, so
     * this is about one record per hour ever marked; fine for inspection, not for a hot path).
     */
    @GetMapping("/dirty-hours")
    List<DirtyHourView> dirtyHours(@RequestParam(required = false) String type) {
        Map<String, Object> config = new HashMap<>(kafka.common());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, DirtyHour> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.dirtyHoursTopic(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        DirtyHour hour = DirtyHour.fromJson(record.value());
                        if (type == null || type.equals(hour.eventType())) {
                            latest.put(hour.key(), hour);
                        }
                    }
                }
            }
        }
        return latest.values().stream().map(DirtyHourView::of).toList();
    }

    /** The events of one hour in the landing table, without their payloads. */
    @GetMapping("/landing/{type}/{date}/{hour}")
    List<LandingTable.LandedEvent> landed(@PathVariable String type, @PathVariable String date, @PathVariable int hour) {
        LandingTable table = landing.table();
        if (table == null) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "not connected to Cassandra yet");
        }
        if (hour < 0 || hour > 23) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "hour must be 0..23, not " + hour);
        }
        Instant start = LocalDate.parse(date).atTime(hour, 0).toInstant(ZoneOffset.UTC);
        return table.hour(type, start);
    }

    @ExceptionHandler(DateTimeParseException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    Map<String, String> badDate(DateTimeParseException e) {
        return Map.of("error", "date must be yyyy-MM-dd: " + e.getParsedString());
    }

    record DirtyHourView(String key, String eventType, String date, int hour, Instant lastLandingTime, long events) {
        static DirtyHourView of(DirtyHour hour) {
            return new DirtyHourView(hour.key(), hour.eventType(), hour.date().toString(), hour.hour(),
                    hour.lastLandingTime(), hour.events());
        }
    }
}
