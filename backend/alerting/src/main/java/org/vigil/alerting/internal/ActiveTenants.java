package org.vigil.alerting.internal;

import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The tenants whose patients the clock-driven parts of the circuit look after (no-data, device watch, canary). */
public final class ActiveTenants {
    private ActiveTenants() {
    }

    public static List<TenantId> list(TenantScope scope) {
        return scope.writeAcrossTenants(b -> {
            try (PreparedStatement ps = b.bind(TenantScope.PLATFORM).prepareStatement("SELECT tenant_id FROM active_tenants()");
                 ResultSet rs = ps.executeQuery()) {
                List<TenantId> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new TenantId(rs.getString(1)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }
}
