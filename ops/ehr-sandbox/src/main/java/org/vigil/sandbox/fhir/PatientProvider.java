package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.vigil.sandbox.auth.Grant;

import java.util.List;

/** Patients are read and searched by identifier (an MRN); the sandbox's set-up adds them. */
public final class PatientProvider implements IResourceProvider {

    private final FhirStore store;

    public PatientProvider(FhirStore store) {
        this.store = store;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id, RequestDetails request) {
        RequestGrant.require(request, "Patient", Grant.READ);
        return store.read(Patient.class, id.getIdPart());
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                RequestDetails request) {
        RequestGrant.require(request, "Patient", Grant.SEARCH);
        IdentifierQuery query = Outcomes.identifier(identifier);
        return query == null ? store.all(Patient.class) : store.search(Patient.class, store.identifierFilter(Patient.class, query));
    }
}
