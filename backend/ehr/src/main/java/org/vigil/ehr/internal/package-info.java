/** Producing outbox items, dispatching them per endpoint, and the two transports. */
package org.vigil.ehr.internal;
