package dev.sluice.gatekeeper.pipeline;

import dev.sluice.gatekeeper.validation.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The record written to {@code events.rejected}: the original bytes (as text when they are UTF-8, else base64),
 * where they came from, the reason code, the JSON path of the first offending member, a message and the time.
 */
final class RejectedEvent {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RejectedEvent() {
    }

    static byte[] json(Rejection rejection, String eventType, String topic, int partition, long offset, byte[] original,
            Instant time) {
        ObjectNode node = JSON.createObjectNode()
                .put("reason", rejection.reason().name())
                .put("path", rejection.path())
                .put("message", rejection.getMessage())
                .put("event_type", eventType);
        node.putObject("source").put("topic", topic).put("partition", partition).put("offset", offset);
        node.put("time", time.toString());
        if (original == null) {
            node.putNull("original");
        } else {
            String text = utf8(original);
            if (text != null) {
                node.put("original", text);
            } else {
                node.put("original_base64", Base64.getEncoder().encodeToString(original));
            }
        }
        return JSON.writeValueAsBytes(node);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
