package org.vigil.registry.internal;

import com.github.benmanes.caffeine.cache.CacheLoader;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Device → patient resolution, cached per (tenant, identifier) because every reading needs it. The cache holds
 * all assignment periods of a device, so a late-arriving reading from before a reassignment still resolves to
 * the earlier patient without another query. Unknown identifiers are cached briefly so a misconfigured device
 * cannot hammer PostgreSQL, yet a device registered a moment later starts resolving within seconds.
 */
@Singleton
public class PostgresDeviceDirectory implements DeviceDirectory {
    private static final int QUERY_CHUNK = 2_000;

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
                .build(new CacheLoader<>() {
                    @Override
                    public List<AssignmentRow> load(Key key) {
                        return loadAll(Set.of(key)).get(key);
                    }

                    @Override
                    public Map<Key, List<AssignmentRow>> loadAll(Set<? extends Key> keys) {
                        return PostgresDeviceDirectory.this.loadAll(keys);
                    }
                });
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

    @Override
    public void warm(TenantId tenant, Set<String> deviceIdentifiers) {
        List<Key> keys = new ArrayList<>(deviceIdentifiers.size());
        for (String identifier : deviceIdentifiers) {
            keys.add(new Key(tenant, normalize(identifier)));
        }
        cache.getAll(keys);
    }

    @Override
    public void refresh(TenantId tenant, Set<String> deviceIdentifiers) {
        List<Key> keys = new ArrayList<>(deviceIdentifiers.size());
        for (String identifier : deviceIdentifiers) {
            keys.add(new Key(tenant, normalize(identifier)));
        }
        cache.invalidateAll(keys);
        cache.getAll(keys);
    }

    private Map<Key, List<AssignmentRow>> loadAll(Set<? extends Key> keys) {
        Map<TenantId, List<String>> byTenant = new HashMap<>();
        keys.forEach(k -> byTenant.computeIfAbsent(k.tenant(), t -> new ArrayList<>()).add(k.identifier()));
        Map<Key, List<AssignmentRow>> found = new HashMap<>(keys.size() * 2);
        byTenant.forEach((tenant, identifiers) -> {
            Map<String, List<AssignmentRow>> byIdentifier = new HashMap<>();
            // Each identifier is bound three times; chunks keep a cold batch from 10,000 devices under
            // PostgreSQL's limit of 32,767 parameters per statement.
            for (int from = 0; from < identifiers.size(); from += QUERY_CHUNK) {
                List<String> chunk = identifiers.subList(from, Math.min(identifiers.size(), from + QUERY_CHUNK));
                for (AssignmentRow row : scope.readInTenant(tenant, () -> devices.assignments(tenant.value(), chunk))) {
                    for (String id : row.identifiers()) {
                        byIdentifier.computeIfAbsent(id, i -> new ArrayList<>(2)).add(row);
                    }
                }
            }
            for (String identifier : identifiers) {
                found.put(new Key(tenant, identifier), List.copyOf(byIdentifier.getOrDefault(identifier, List.of())));
            }
        });
        return found;
    }

    // MACs are stored upper-case with colons; hubs report them as aa:bb:.., AA-BB-.. or aabb.ccdd.eeff, and a MAC
    // taken from a subject token arrives as AA_BB_.. (Subjects.token replaces the colons).
    // Twelve hex digits without any separator stay as they are: that is as likely a serial number.
    // Hand-written rather than a regex because it runs for every reading.
    static String normalize(String identifier) {
        String s = identifier.strip();
        StringBuilder hex = null;
        int separators = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '-' || c == '.' || c == '_') {
                separators++;
            } else if (Character.digit(c, 16) >= 0) {
                if (hex == null) {
                    hex = new StringBuilder(17);
                }
                if (hex.length() >= 17) {
                    return s;
                }
                if (hex.length() == 2 || hex.length() == 5 || hex.length() == 8 || hex.length() == 11 || hex.length() == 14) {
                    hex.append(':');
                }
                hex.append(Character.toUpperCase(c));
            } else {
                return s;
            }
        }
        return separators > 0 && hex != null && hex.length() == 17 ? hex.toString() : s;
    }
}
