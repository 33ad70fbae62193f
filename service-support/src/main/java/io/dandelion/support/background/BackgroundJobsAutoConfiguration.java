package io.dandelion.support.background;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Runs the application's {@link BackgroundJob} beans while it runs: the one
 * {@link BackgroundJobs} of each service.
 */
@AutoConfiguration
public class BackgroundJobsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BackgroundJobs backgroundJobs(ObjectProvider<BackgroundJob> jobs) {
		return new BackgroundJobs(jobs);
	}

}
