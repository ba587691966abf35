package io.dynamotrigger;

import java.time.Duration;
import java.util.Set;

import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.mapping.RecordMappingException;

/**
 * Error policies for tests.
 */
public final class ErrorPolicies {

	private ErrorPolicies() {
	}

	/**
	 * The policy of the starter's default settings: 5 calls, 200 ms apart, doubling up to 5 s; mapping errors
	 * are not retried; no age limit.
	 * @return the policy
	 */
	public static ErrorPolicy standard() {
		return new ErrorPolicy(ErrorPolicy.exponentialBackOff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), 5),
				Set.of(RecordMappingException.class), null);
	}

}
