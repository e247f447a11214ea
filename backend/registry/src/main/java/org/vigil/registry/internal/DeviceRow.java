package org.vigil.registry.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.util.UUID;

@MappedEntity("devices")
public record DeviceRow(@Id UUID deviceId, String tenantId, String kind, String model,
                        @Nullable String serial, @Nullable String imei, @Nullable String mac) {
}
