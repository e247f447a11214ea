package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.vigil.registry.DeviceView;
import org.vigil.registry.DeviceFleet;

import java.util.List;

/** The tenant's devices with last-seen, battery, signal and firmware, silent ones first. */
@Controller("/api/v1/devices")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DevicesController {
    private final DeviceFleet devices;

    public DevicesController(DeviceFleet devices) {
        this.devices = devices;
    }

    @Get
    public List<DeviceView> list(Authentication auth, @Nullable @QueryValue Integer limit) {
        int size = limit == null ? 1000 : limit;
        if (size < 1 || size > 10_000) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and 10000.");
        }
        return devices.list(CurrentTenant.of(auth), size);
    }
}
