package org.vigil.ui.views;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.RolesAllowed;
import org.vigil.core.TenantId;
import org.vigil.ehr.Consents;
import org.vigil.ui.auth.Access;
import org.vigil.ui.data.PatientRoster;
import org.vigil.ui.data.RpmPeriod;
import org.vigil.ui.format.Ago;
import org.vigil.ui.format.Values;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tenant's patients at a glance: latest vitals, the 16-day count, devices and consent; searchable. */
@Route(value = "patients", layout = MainLayout.class)
@PageTitle("Patients · Vigil")
@Prototype
@RolesAllowed({Access.CARE_MANAGER, Access.PHYSICIAN, Access.TENANT_ADMIN})
public class PatientsView extends Div {
    final TextField search = new TextField();
    final Grid<PatientRoster.Row> grid = new Grid<>();
    private final Clock clock;

    public PatientsView(PatientRoster roster, Clock clock) {
        this.clock = clock;
        TenantId tenant = Access.current().tenantId();
        addClassName("vigil-page");
        search.setPlaceholder("Search by name or MRN");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.getElement().setAttribute("aria-label", "Search patients by name or MRN");
        search.setWidth("22rem");

        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(r -> patientCell(r)).setHeader("Patient").setAutoWidth(true).setFlexGrow(1);
        // wide enough for a flagged blood pressure chip ("BP 192/96 mmHg critical high"): chips do not wrap inside
        grid.addComponentColumn(PatientsView::vitalsCell).setHeader("Latest vitals").setWidth("24rem").setFlexGrow(3);
        grid.addComponentColumn(PatientsView::periodCell).setHeader("Days with readings").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(this::devicesCell).setHeader("Devices").setWidth("20rem").setFlexGrow(1);
        grid.addComponentColumn(PatientsView::consentCell).setHeader("EHR consent").setAutoWidth(true);
        ConfigurableFilterDataProvider<PatientRoster.Row, Void, String> data = new CallbackDataProvider<PatientRoster.Row, String>(
                q -> roster.page(tenant, q.getFilter().orElse(null), q.getOffset(), q.getLimit()).stream(),
                q -> roster.count(tenant, q.getFilter().orElse(null)),
                r -> r.patient().patientId()).withConfigurableFilter();
        grid.setItems(data);
        grid.setPageSize(50);
        grid.addClassName("vigil-patients-grid");
        search.addValueChangeListener(e -> data.setFilter(e.getValue()));
        add(new H2("Patients"), search, grid);
    }

    private static Component patientCell(PatientRoster.Row r) {
        RouterLink name = new RouterLink(r.patient().displayName(), PatientView.class,
                new RouteParameters("id", r.patient().patientId().toString()));
        Div cell = new Div(name);
        if (!r.patient().identifiers().isEmpty()) {
            Span mrn = new Span("MRN " + r.patient().identifiers().get(0));
            mrn.addClassName("vigil-secondary");
            cell.add(mrn);
        }
        cell.addClassName("vigil-stack");
        return cell;
    }

    static Component vitalsCell(PatientRoster.Row r) {
        Div cell = new Div();
        cell.addClassName("vigil-vitals");
        if (r.vitals() == null) {
            cell.add(new Span("Reading history unavailable"));
            return cell;
        }
        if (r.vitals().isEmpty()) {
            cell.add(new Span("No readings yet"));
            return cell;
        }
        for (Chip c : chips(r.vitals())) {
            Span chip = new Span(c.text());
            chip.addClassName("vigil-vital");
            if (c.flag() != null) {
                chip.getElement().setAttribute("data-range", c.flag());
                chip.addComponentAsFirst(VaadinIcon.WARNING.create());
                chip.add(new Span(" " + c.flag()));
            }
            cell.add(chip);
        }
        return cell;
    }

    /** @param flag high, low, critical high or critical low; null in range */
    record Chip(String text, String flag) {
    }

    /** Blood pressure's two components make one chip ("BP 142/91 mmHg"); the worse band flags it. */
    static List<Chip> chips(List<PatientRoster.Vital> vitals) {
        Map<String, PatientRoster.Vital> byCode = new LinkedHashMap<>();
        vitals.forEach(v -> byCode.put(v.code(), v));
        List<Chip> out = new ArrayList<>();
        PatientRoster.Vital sys = byCode.remove("8480-6");
        PatientRoster.Vital dia = byCode.remove("8462-4");
        byCode.remove("8478-0");
        if (sys != null && dia != null) {
            PatientRoster.Vital worse = rank(sys.band()) >= rank(dia.band()) ? sys : dia;
            out.add(new Chip("BP " + Values.number(sys.value()) + "/" + Values.number(dia.value()) + " " + Values.unit(sys.unit()),
                    flag(worse.band())));
        } else if (sys != null) {
            byCode.put(sys.code(), sys);
        } else if (dia != null) {
            byCode.put(dia.code(), dia);
        }
        for (PatientRoster.Vital v : byCode.values()) {
            out.add(new Chip(Values.name(v.code()) + " " + Values.withUnit(v.value(), v.unit()), flag(v.band())));
        }
        return out;
    }

    private static int rank(org.vigil.alerting.Band b) {
        return switch (b) {
            case CRITICAL_LOW, CRITICAL_HIGH -> 2;
            case LOW, HIGH -> 1;
            default -> 0;
        };
    }

    private static String flag(org.vigil.alerting.Band b) {
        return switch (b) {
            case CRITICAL_LOW -> "critical low";
            case LOW -> "low";
            case HIGH -> "high";
            case CRITICAL_HIGH -> "critical high";
            default -> null;
        };
    }

    static Component periodCell(PatientRoster.Row r) {
        RpmPeriod p = r.period();
        if (p == null) {
            return new Span("–");
        }
        String state = p.met() ? "ok" : p.missed() || p.atRisk() ? "warn" : "ok";
        String text = p.daysWithReadings() + " of " + RpmPeriod.REQUIRED + (p.met() ? " · met" : " · " + p.daysLeft() + " days left")
                + (p.missed() ? " · cannot be met" : p.atRisk() ? " · at risk" : "");
        Component c = Badges.state(text, state);
        c.getElement().setAttribute("title", "Period " + p.start() + " to " + p.end().minusDays(1));
        return c;
    }

    private Component devicesCell(PatientRoster.Row r) {
        Div cell = new Div();
        cell.addClassName("vigil-stack");
        if (r.devices().isEmpty()) {
            cell.add(new Span("No device"));
        }
        for (PatientRoster.Device d : r.devices()) {
            // signal strength and model are on the patient's page; the list says what needs chasing
            StringBuilder t = new StringBuilder(d.view().kind().replace('-', ' '));
            if (d.view().batteryPercent() != null) {
                t.append(" · battery ").append(Values.number(d.view().batteryPercent())).append(" %");
            }
            t.append(" · ").append(d.view().lastSeen() == null ? "never seen" : "seen " + Ago.since(d.view().lastSeen(), clock.instant()) + " ago");
            String level = d.silent() ? "bad" : d.lowBattery() ? "warn" : "ok";
            if (d.silent()) {
                t.append(" · silent");
            } else if (d.lowBattery()) {
                t.append(" · low battery");
            }
            cell.add(Badges.state(t.toString(), level));
        }
        return cell;
    }

    static Component consentCell(PatientRoster.Row r) {
        Div cell = new Div();
        cell.addClassName("vigil-stack");
        if (r.consents().isEmpty()) {
            cell.add(Badges.state("none recorded", "warn"));
        }
        for (Consents.Consent c : r.consents()) {
            cell.add(Badges.state(c.endpoint() + ": " + c.status(), "active".equals(c.status()) ? "ok" : "warn"));
        }
        return cell;
    }
}
