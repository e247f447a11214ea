package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.core.TenantId;
import org.vigil.ehr.auth.KeySealer;
import org.vigil.ehr.auth.KeyView;
import org.vigil.ehr.auth.SigningKeys;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The keys each tenant signs SMART Backend Services client assertions with.
 *
 * <p>{@code GET /api/v1/tenants/{tenant}/jwks.json} is the tenant's public JWKS, the one stable URL an EHR's
 * administrator registers for our client; it is anonymous (EHRs fetch it without credentials) and holds public
 * keys only. Unknown and suspended tenants get the same 404, so the URL reveals no more than a registered EHR
 * already knows.
 *
 * <p>Rotation is two steps, with a wait between them: {@code POST .../{alg}/next} publishes a new key, and once
 * EHRs have refetched the JWKS (at least the 5 minutes we let them cache it; longer for EHRs that cache by their
 * own policy), {@code POST .../{alg}/promote} makes it sign. There is deliberately no one-step rotation here (see
 * {@link SigningKeys#rotate}): it would break token requests to EHRs still holding the old JWKS.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EhrKeysController {
    /** How long EHRs may cache the JWKS: the least time to wait between staging and promoting a key. */
    static final String JWKS_CACHE = "public, max-age=300";

    /** A key as administrators see it: never the private key. */
    @Serdeable
    public record KeyEntry(String kid, String algorithm, String status, Instant createdAt, @Nullable Instant activatedAt,
                           @Nullable Instant retiredAt) {
        static KeyEntry of(KeyView v) {
            return new KeyEntry(v.kid(), v.algorithm(), v.status(), v.createdAt(), v.activatedAt(), v.retiredAt());
        }
    }

    private final SigningKeys keys;
    private final KeySealer sealer;

    public EhrKeysController(SigningKeys keys, KeySealer sealer) {
        this.keys = keys;
        this.sealer = sealer;
    }

    /**
     * Served as {@code application/json}, which every JWKS client accepts (RFC 7517's {@code application/jwk-set+json}
     * is refused by some); a request that asks for either type gets it.
     */
    @Get(uri = "/tenants/{tenant}/jwks.json", produces = {MediaType.APPLICATION_JSON, "application/jwk-set+json"})
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<byte[]> jwks(@PathVariable String tenant) {
        if (!TenantId.isValid(tenant)) {
            return HttpResponse.notFound();
        }
        Optional<String> jwks = keys.publishedJwks(new TenantId(tenant));
        if (jwks.isEmpty()) {
            return HttpResponse.notFound();
        }
        // Bytes, not a String: written as is, never re-encoded by a serializer.
        return HttpResponse.ok(jwks.get().getBytes(StandardCharsets.UTF_8))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, JWKS_CACHE);
    }

    /** The caller's tenant's keys, by algorithm then age. */
    @Get("/ehr/keys")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public List<KeyEntry> list(Authentication auth) {
        return keys.list(CurrentTenant.of(auth)).stream().map(KeyEntry::of).toList();
    }

    /** Stages the next key for {@code alg}: published at once, signing only once promoted. Idempotent. */
    @Post("/ehr/keys/{alg}/next")
    @Secured({"tenant-admin", "platform-admin"})
    public KeyEntry stage(Authentication auth, @PathVariable String alg) {
        TenantId tenant = CurrentTenant.of(auth);
        requireUsable(alg);
        return KeyEntry.of(keys.stageNext(tenant, alg));
    }

    /** Makes the staged key sign; the key it replaces stays published as retired. 409 when none is staged. */
    @Post("/ehr/keys/{alg}/promote")
    @Secured({"tenant-admin", "platform-admin"})
    public KeyEntry promote(Authentication auth, @PathVariable String alg) {
        TenantId tenant = CurrentTenant.of(auth);
        requireUsable(alg);
        try {
            return KeyEntry.of(keys.promote(tenant, alg));
        } catch (SigningKeys.NothingStaged e) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "No " + alg + " key is staged: POST /api/v1/ehr/keys/"
                    + alg + "/next first, and promote it once EHRs have had time to fetch the JWKS.");
        }
    }

    private void requireUsable(String alg) {
        if (!SigningKeys.supports(alg)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'alg' must be RS384 or ES384.");
        }
        if (!sealer.available()) {
            // Say so plainly rather than a bare 500: it is the platform's configuration, not the request.
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "EHR signing keys are unavailable: the "
                    + "platform's key-encryption key (vigil.ehr.key-encryption-key) is not configured.");
        }
    }
}
