package io.dandelion.publisher.trust;

import java.util.Map;

import io.dandelion.publisher.locate.ViewerAddress;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/reports}: a viewer page reports a segment that did not match the
 * signed manifest. Public, since viewers send it; answered 202 with the publisher's own
 * verdict ({@code {"verdict": "confirmed"}} or {@code "not-confirmed"}), or a problem
 * (400 malformed or not a box's copy, 404 an unknown copy, 429 too many).
 */
@RestController
class ReportController {

	private final ReportService reports;

	private final ViewerAddress viewers;

	ReportController(ReportService reports, ViewerAddress viewers) {
		this.reports = reports;
		this.viewers = viewers;
	}

	@PostMapping(path = "/api/v1/reports", consumes = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<Map<String, String>>> report(@RequestBody Mono<ViewerReport> report,
			ServerHttpRequest request) {
		// Counted before the body is even read
		return this.reports.admit(this.viewers.of(request))
			.then(report)
			.flatMap(this.reports::check)
			.map((verdict) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("verdict", verdict.value())));
	}

}
