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
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.vigil.sandbox.auth.Grant;

import java.util.List;

/** Devices: created, or upserted by identifier with a conditional update ({@code PUT Device?identifier=...}). */
public final class DeviceProvider implements IResourceProvider {

    private final FhirStore store;

    public DeviceProvider(FhirStore store) {
        this.store = store;
    }

    @Override
    public Class<Device> getResourceType() {
        return Device.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Device device, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        Grant grant = RequestGrant.require(request, "Device", Grant.CREATE);
        return Outcomes.of(store.write(List.of(WriteRequest.create(device, ifNoneExist)), grant).get(0));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Device device,
                                @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        Grant grant = RequestGrant.of(request);
        String logicalId = id == null || !id.hasIdPart() ? null : id.getIdPart();
        return Outcomes.of(store.write(List.of(WriteRequest.update(device, logicalId == null ? conditionalUrl : null,
                logicalId)), grant).get(0));
    }

    @Read
    public Device read(@IdParam IdType id, RequestDetails request) {
        RequestGrant.require(request, "Device", Grant.READ);
        return store.read(Device.class, id.getIdPart());
    }

    @Search
    public List<Device> search(@OptionalParam(name = Device.SP_IDENTIFIER) TokenParam identifier, RequestDetails request) {
        RequestGrant.require(request, "Device", Grant.SEARCH);
        IdentifierQuery query = Outcomes.identifier(identifier);
        return query == null ? store.all(Device.class) : store.search(Device.class, store.identifierFilter(Device.class, query));
    }
}
