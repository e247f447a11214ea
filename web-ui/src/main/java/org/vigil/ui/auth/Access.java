package org.vigil.ui.auth;

import com.vaadin.flow.server.VaadinSession;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import java.util.Optional;

/**
 * Which views a user may open: a view names its roles with {@link RolesAllowed}; a view that names none is
 * closed to everyone ({@link PermitAll} marks the few pages any signed-in user may see).
 */
public final class Access {
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String CARE_MANAGER = "care-manager";
    public static final String PHYSICIAN = "physician";

    private Access() {
    }

    public static boolean allowed(Class<?> view, SignedInUser user) {
        if (view.isAnnotationPresent(PermitAll.class)) {
            return true;
        }
        RolesAllowed roles = view.getAnnotation(RolesAllowed.class);
        return roles != null && user.hasAny(roles.value());
    }

    /** The user of the current Vaadin session, if one has signed in. */
    public static Optional<SignedInUser> user(VaadinSession session) {
        if (session == null || session.getSession() == null) {
            return Optional.empty();
        }
        Object u = session.getSession().getAttribute(SignedInUser.SESSION_ATTRIBUTE);
        return u instanceof SignedInUser s ? Optional.of(s) : Optional.empty();
    }

    /** The signed-in user of the current request; views are only ever shown to one (see {@link AccessGuard}). */
    public static SignedInUser current() {
        return user(VaadinSession.getCurrent()).orElseThrow(() -> new IllegalStateException("nobody is signed in"));
    }
}
