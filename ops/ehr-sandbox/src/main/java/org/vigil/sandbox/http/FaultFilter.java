package org.vigil.sandbox.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.vigil.sandbox.fhir.FhirTraffic;

import java.io.IOException;
import java.time.Duration;

/** Counts every FHIR request and applies the injected faults (a delay, then a fixed status) before anything else. */
public final class FaultFilter extends HttpFilter {

    private final FhirTraffic traffic;
    private final JsonResponses json;

    public FaultFilter(FhirTraffic traffic, JsonResponses json) {
        this.traffic = traffic;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        traffic.requestReceived();
        Duration delay = traffic.delay();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServletException("interrupted while delaying", e);
            }
        }
        int status = traffic.status();
        if (status != 0) {
            json.operationOutcome(response, status, "transient", "sandbox EHR: answering " + status + " as told");
            return;
        }
        chain.doFilter(request, response);
    }
}
