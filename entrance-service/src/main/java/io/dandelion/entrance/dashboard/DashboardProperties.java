package io.dandelion.entrance.dashboard;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the operator dashboard ({@code entrance.dashboard.*}; Spring properties, no
 * YAML key).
 *
 * @param samplePeriod time between two samples of the network (live boxes, heartbeats,
 * bytes served), and between two updates pushed to an open dashboard
 * @param history how many samples the {@code DASHBOARD_SAMPLES} stream keeps: with the
 * defaults, one hour
 * @param plottedBoxes how many boxes' bytes served each sample keeps: those that served
 * the most
 */
@ConfigurationProperties("entrance.dashboard")
@Validated
public record DashboardProperties(@DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration samplePeriod,
		@DefaultValue("720") @Positive int history, @DefaultValue("20") @Positive int plottedBoxes) {

}
