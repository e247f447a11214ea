package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.vigil.sandbox.auth.Grant;

import java.util.List;
import java.util.function.Consumer;

/** Observations: created (conditionally, with If-None-Exist, for exactly-once delivery), read and searched. */
public final class ObservationProvider implements IResourceProvider {

    private final FhirStore store;
    private final Consumer<Observation> received;

    /** @param received sees every Observation that arrives (the validator) */
    public ObservationProvider(FhirStore store, Consumer<Observation> received) {
        this.store = store;
        this.received = received;
    }

    @Override
    public Class<Observation> getResourceType() {
        return Observation.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Observation observation, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        Grant grant = RequestGrant.require(request, "Observation", Grant.CREATE);
        received.accept(observation);
        return Outcomes.of(store.write(List.of(WriteRequest.create(observation, ifNoneExist)), grant).get(0));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Observation observation,
                                @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        Grant grant = RequestGrant.of(request);
        received.accept(observation);
        String logicalId = id == null || !id.hasIdPart() ? null : id.getIdPart();
        return Outcomes.of(store.write(List.of(WriteRequest.update(observation,
                logicalId == null ? conditionalUrl : null, logicalId)), grant).get(0));
    }

    @Read
    public Observation read(@IdParam IdType id, RequestDetails request) {
        RequestGrant.require(request, "Observation", Grant.READ);
        return store.read(Observation.class, id.getIdPart());
    }

    @Search
    public List<Observation> search(@OptionalParam(name = Observation.SP_IDENTIFIER) TokenParam identifier,
                                    @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
                                    @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient,
                                    RequestDetails request) {
        RequestGrant.require(request, "Observation", Grant.SEARCH);
        IdentifierQuery query = Outcomes.identifier(identifier);
        ReferenceParam who = subject != null ? subject : patient;
        return store.search(Observation.class, observation ->
                (query == null || query.matchesAny(observation.getIdentifier()))
                        && (who == null || Outcomes.refersTo(observation.getSubject(), who)));
    }
}
