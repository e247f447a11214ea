package org.vigil.sandbox.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/** Names the token endpoint in the CapabilityStatement, where SMART v1 clients look for it. */
@Interceptor
public final class SmartCapabilities {

    private final String tokenUrl;

    public SmartCapabilities(String tokenUrl) {
        this.tokenUrl = tokenUrl;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance statement) {
        CapabilityStatement.CapabilityStatementRestSecurityComponent security =
                ((CapabilityStatement) statement).getRestFirstRep().getSecurity();
        if (security.hasExtension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")) {
            return;
        }
        security.addService().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                .setCode("SMART-on-FHIR");
        Extension oauth = security.addExtension().setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        oauth.addExtension("token", new UriType(tokenUrl));
    }
}
