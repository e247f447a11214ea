package org.vigil.registry;

import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.internal.PatientRepository;

import java.util.UUID;

/** Patient look-ups the API needs to decide between "your patient" and 404. */
@Singleton
public class Patients {
    private final TenantScope scope;
    private final PatientRepository patients;

    public Patients(TenantScope scope, PatientRepository patients) {
        this.scope = scope;
        this.patients = patients;
    }

    public boolean exists(TenantId tenant, UUID patientId) {
        return scope.readInTenant(tenant, () -> patients.existsByTenantIdAndPatientId(tenant.value(), patientId));
    }
}
