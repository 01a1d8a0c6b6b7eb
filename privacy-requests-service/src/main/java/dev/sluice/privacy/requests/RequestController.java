package dev.sluice.privacy.requests;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.sluice.privacy.access.Exports;
import dev.sluice.spring.web.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Privacy requests", description = "Access (GDPR Art. 15) and erasure (Art. 17) requests, with their legal "
        + "deadlines; role PRIVACY_OPS")
class RequestController {

    private final Requests requests;
    private final Exports exports;

    RequestController(Requests requests, Exports exports) {
        this.requests = requests;
        this.exports = exports;
    }

    /** A request with its transitions. */
    record RequestDetail(@JsonUnwrapped PrivacyRequest request, boolean overdue, List<RequestStore.Transition> history) {
    }

    /** A download link of an access export, valid until {@code expiresAt}. */
    record ExportLink(URL url, Instant expiresAt) {
    }

    @PostMapping("/requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "File a request", description = "201 with the request, QUEUED for the next batch; 409 naming "
            + "the subject's open request of the same type when there is one.")
    PrivacyRequest file(@Valid @RequestBody FileRequest body, Authentication caller) {
        return requests.file(caller.getName(), body);
    }

    @GetMapping("/requests")
    @Operation(summary = "List requests", description = "Newest first; by status, and only the overdue ones "
            + "(past their deadline, not COMPLETED or CANCELED) with overdue=true.")
    List<PrivacyRequest> list(@RequestParam(required = false) PrivacyRequest.Status status,
            @RequestParam(defaultValue = "false") boolean overdue) {
        return requests.list(status, overdue);
    }

    @GetMapping("/requests/{id}")
    @Operation(summary = "A request", description = "With each step's result and time, and every transition (who, when).")
    RequestDetail get(@PathVariable String id) {
        PrivacyRequest request = requests.get(id);
        return new RequestDetail(request, requests.overdue(request), requests.history(id));
    }

    @PostMapping("/requests/{id}/cancel")
    @Operation(summary = "Cancel", description = "While not RUNNING and not over; 409 otherwise.")
    PrivacyRequest cancel(@PathVariable String id, Authentication caller) {
        return requests.cancel(caller.getName(), id);
    }

    @PostMapping("/requests/{id}/extend")
    @Operation(summary = "Extend the deadline", description = "Once, by at most the legal extension (two months by "
            + "default), with a reason.")
    PrivacyRequest extend(@PathVariable String id, @Valid @RequestBody ExtendRequest body, Authentication caller) {
        return requests.extend(caller.getName(), id, body);
    }

    @PostMapping("/requests/{id}/retry")
    @Operation(summary = "Retry a FAILED request", description = "Queued again; it starts from the step that failed.")
    PrivacyRequest retry(@PathVariable String id, Authentication caller) {
        return requests.retry(caller.getName(), id);
    }

    @GetMapping(value = "/requests/{id}/report", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The per-store report of an erasure", description = "Partitions rewritten, rows removed and "
            + "redacted, the legal-hold objects, what was deleted from landing, the index, the relations and the exports, "
            + "and the verification's counts per store (all 0 for a COMPLETED request). 409 until the tier-zero step is "
            + "done.")
    String report(@PathVariable String id) {
        PrivacyRequest request = requests.get(id);
        if (request.type() != PrivacyRequest.Type.ERASURE) {
            throw ApiError.badRequest("request " + id + " is an " + request.type() + " request: it has no erasure report");
        }
        return requests.store().report(id).orElseThrow(() -> ApiError.conflict("request " + id + " is "
                + request.status() + ": its report is written once tier zero is rewritten"));
    }

    @GetMapping("/requests/{id}/export")
    @Operation(summary = "Download link of an access export", description = "A pre-signed URL of the zip, valid for a "
            + "few minutes; 409 until the request is COMPLETED.")
    ExportLink export(@PathVariable String id) {
        PrivacyRequest request = requests.get(id);
        if (request.type() != PrivacyRequest.Type.ACCESS) {
            throw ApiError.badRequest("request " + id + " is an " + request.type() + " request: it has no export");
        }
        if (request.status() != PrivacyRequest.Status.COMPLETED || request.exportKey() == null) {
            throw ApiError.conflict("request " + id + " is " + request.status() + ": its export is not ready");
        }
        Exports.Link link = exports.presign(request.exportKey());
        return new ExportLink(link.url(), link.expiresAt());
    }
}
