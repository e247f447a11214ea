package org.vigil.ehr.internal;

import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Enabled endpoints of active tenants, across tenants (ids only, through the schema owner's function). */
@Singleton
class ServedEndpoints {
    record Ref(TenantId tenant, String endpoint) {
    }

    private final TenantScope scope;

    ServedEndpoints(TenantScope scope) {
        this.scope = scope;
    }

    List<Ref> all() {
        return scope.writeInTenant(TenantScope.PLATFORM, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, endpoint_id FROM ehr_endpoints_to_serve()");
                 ResultSet rs = ps.executeQuery()) {
                List<Ref> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Ref(new TenantId(rs.getString(1)), rs.getString(2)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    Set<TenantId> tenants() {
        Set<TenantId> out = new LinkedHashSet<>();
        all().forEach(r -> out.add(r.tenant()));
        return out;
    }
}
