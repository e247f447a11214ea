package org.vigil.registry.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.vigil.core.DeviceDirectory;
import org.vigil.core.DeviceResolution;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Device → patient resolution, cached per (tenant, identifier) because every reading needs it. The cache holds
 * all assignment periods of a device, so a late-arriving reading from before a reassignment still resolves to
 * the earlier patient without another query. Unknown identifiers are cached briefly so a misconfigured device
 * cannot hammer PostgreSQL, yet a device registered a moment later starts resolving within seconds.
 */
@Singleton
public class PostgresDeviceDirectory implements DeviceDirectory {
    private record Key(TenantId tenant, String identifier) {
    }

    private final TenantScope scope;
    private final DeviceRepository devices;
    private final LoadingCache<Key, List<AssignmentRow>> cache;

    public PostgresDeviceDirectory(TenantScope scope, DeviceRepository devices,
                                   @Value("${vigil.registry.device-cache-ttl:30s}") Duration ttl,
                                   @Value("${vigil.registry.unknown-device-cache-ttl:3s}") Duration unknownTtl) {
        this.scope = scope;
        this.devices = devices;
        this.cache = Caffeine.newBuilder()
                .maximumSize(200_000)
                .expireAfter(Expiry.<Key, List<AssignmentRow>>writing((k, v) -> v.isEmpty() ? unknownTtl : ttl))
                .build(this::load);
    }

    @Override
    public DeviceResolution resolve(TenantId tenant, String deviceIdentifier, Instant at) {
        List<AssignmentRow> rows = cache.get(new Key(tenant, normalize(deviceIdentifier)));
        if (rows.isEmpty()) {
            return new DeviceResolution.UnknownDevice();
        }
        for (AssignmentRow row : rows) {
            if (row.covers(at)) {
                return new DeviceResolution.Assigned(row.deviceId(), row.patientId());
            }
        }
        return new DeviceResolution.Unassigned(rows.get(0).deviceId());
    }

    /** Forget what we know about a device, e.g. after it was registered or reassigned in this process. */
    public void invalidate(TenantId tenant, String deviceIdentifier) {
        cache.invalidate(new Key(tenant, normalize(deviceIdentifier)));
    }

    private List<AssignmentRow> load(Key key) {
        return List.copyOf(scope.readInTenant(key.tenant(), () -> devices.assignments(key.tenant().value(), key.identifier())));
    }

    // MACs are stored upper-case with colons; hubs report them as aa:bb:.., AA-BB-.. or aabb.ccdd.eeff.
    // Twelve hex digits without any separator stay as they are: that is as likely a serial number.
    static String normalize(String identifier) {
        String s = identifier.trim();
        String hex = s.replaceAll("[:.\\-]", "");
        boolean separated = hex.length() != s.length();
        if (!separated || hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return s;
        }
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            b.append(i > 0 ? ":" : "").append(hex, i, i + 2);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }
}
